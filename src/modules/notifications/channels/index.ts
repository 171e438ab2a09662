import type { NotificationSettings } from '../../../config/notifications.js';
import type { DeliveryChannels } from './channel.js';
import { createEmailSender } from './email.js';
import { postWebhook } from './webhook.js';

export type { DeliveryChannels, OutgoingMessage, WebhookTarget } from './channel.js';

/** The real channels: SMTP or .eml files for email, signed HTTP POSTs for webhooks. */
export function createDeliveryChannels(settings: NotificationSettings): DeliveryChannels {
  const email = createEmailSender(settings);
  return {
    email: email.send,
    webhook: postWebhook,
    close: async () => email.close(),
  };
}
