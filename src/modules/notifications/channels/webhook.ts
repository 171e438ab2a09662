/**
 * Webhooks: a JSON POST with a `text` field chat tools display as is, signed with the
 * subscription's secret (`X-Matterflow-Signature`: HMAC-SHA256 of the raw body, hex). The
 * idempotency key travels in the body and in `X-Matterflow-Idempotency-Key`: delivery is at
 * least once, so receivers drop keys they have seen.
 */
import { createHmac } from 'node:crypto';
import type { OutgoingMessage, WebhookTarget } from './channel.js';

const TIMEOUT_MS = 10_000;

/** HMAC-SHA256 of `body` with `secret`, as lowercase hex. */
export function signBody(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** The JSON body of a webhook call. */
export function webhookBody(message: OutgoingMessage): string {
  return JSON.stringify({
    id: message.idempotencyKey,
    kind: message.kind,
    text: `${message.rendered.subject}\n${message.rendered.nextAction}: ${message.rendered.link}`,
    subject: message.rendered.subject,
    next_action: message.rendered.nextAction,
    link: message.rendered.link,
    recipient: message.recipient.email,
    created_at: message.createdAt.toISOString(),
  });
}

/** POSTs the message; any answer but 2xx (or no answer in 10 s) is a failed attempt. */
export async function postWebhook(message: OutgoingMessage, target: WebhookTarget): Promise<void> {
  const body = webhookBody(message);
  const response = await fetch(target.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Matterflow-Webhook/1',
      'x-matterflow-signature': signBody(body, target.secret),
      'x-matterflow-idempotency-key': message.idempotencyKey,
      'x-matterflow-kind': message.kind,
    },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  // The body is not needed; reading it frees the connection.
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new Error(`webhook answered ${response.status}`);
}
