import type { RenderedNotification } from '../../../domain/notifications/templates.js';

/** One message on its way out through one channel. */
export interface OutgoingMessage {
  outboxId: number;
  idempotencyKey: string;
  kind: string;
  recipient: { userId: number; email: string; name: string };
  rendered: RenderedNotification;
  createdAt: Date;
}

export interface WebhookTarget {
  url: string;
  secret: string;
}

/** Delivery to the outside world; a thrown error is a failed attempt, retried later. */
export interface DeliveryChannels {
  email(message: OutgoingMessage): Promise<void>;
  webhook(message: OutgoingMessage, target: WebhookTarget): Promise<void>;
  close?(): Promise<void>;
}
