import type { AppContext } from '../../config/context.js';
import { loadNotificationSettings, type NotificationSettings } from '../../config/notifications.js';

let fromEnvironment: NotificationSettings | undefined;

/** The context's notification settings, or those the environment gives (read once). */
export function notificationSettingsOf(
  ctx: Pick<AppContext, 'notifications'>,
): NotificationSettings {
  return ctx.notifications ?? (fromEnvironment ??= loadNotificationSettings());
}
