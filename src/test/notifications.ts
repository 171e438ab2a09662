import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNotificationSettings, type NotificationSettings } from '../config/notifications.js';
import type {
  DeliveryChannels,
  OutgoingMessage,
  WebhookTarget,
} from '../modules/notifications/channels/channel.js';

/** Notification settings for tests: defaults, a fresh mail folder, and any overrides. */
export async function testNotificationSettings(
  overrides: Partial<NotificationSettings> = {},
): Promise<NotificationSettings> {
  const dataDir = await mkdtemp(join(tmpdir(), 'matterflow-mail-'));
  return {
    ...loadNotificationSettings({}, dataDir),
    baseUrl: 'https://matterflow.firm.test',
    ...overrides,
  };
}

/**
 * Channels that record what they were asked to send, or fail while `failing` is set. They stand
 * in for the outside world (SMTP servers, chat tools), not for our own code.
 */
export class RecordingChannels implements DeliveryChannels {
  emails: OutgoingMessage[] = [];
  webhooks: { message: OutgoingMessage; target: WebhookTarget }[] = [];
  failing: string | null = null;
  email = async (message: OutgoingMessage) => {
    if (this.failing) throw new Error(this.failing);
    this.emails.push(message);
  };
  webhook = async (message: OutgoingMessage, target: WebhookTarget) => {
    if (this.failing) throw new Error(this.failing);
    this.webhooks.push({ message, target });
  };
}
