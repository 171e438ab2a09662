/**
 * Turning "this should notify" into outbox rows, inside the caller's transaction: who receives
 * it (active users only; walled matters only to members; not to those who muted the matter),
 * on which channels (their preference; webhooks to each of their subscriptions), now or in
 * their daily summary. Keys are `<event key>:<user>:<channel>`, so writing the same event twice
 * writes nothing new.
 */
import type { Kysely } from 'kysely';
import type { NotificationSettings } from '../../config/notifications.js';
import type { DB } from '../../db/schema.js';
import { nextDailyOccurrence, localTime } from '../../domain/notifications/firm-time.js';
import {
  IMMEDIATE_KINDS,
  type ActivitySummaryPayload,
  type Channel,
  type NotificationPayload,
} from '../../domain/notifications/kinds.js';
import { renderNotification } from '../../domain/notifications/templates.js';
import * as repo from './outbox.repository.js';

export interface NotificationRequest {
  /** Identifies the event: the same key never notifies twice. */
  key: string;
  recipients: readonly (number | null)[];
  matterId: number | null;
  payload: NotificationPayload;
  dueAt: Date;
  /** Append `payload.items` to a message still waiting under the same key instead of skipping. */
  coalesce?: boolean;
}

/** Writes the outbox rows for `request`; returns how many recipients it reached. */
export async function enqueueNotification(
  db: Kysely<DB>,
  settings: NotificationSettings,
  now: Date,
  request: NotificationRequest,
): Promise<number> {
  const ids = [...new Set(request.recipients.filter((id): id is number => id !== null))];
  const recipients = (await repo.findRecipients(db, ids, request.matterId)).filter(
    (r) => r.maySee && !r.muted,
  );
  if (recipients.length === 0) return 0;
  const subscriptions = recipients.some((r) => r.channels.includes('webhook'))
    ? await repo.findSubscriptions(
        db,
        recipients.map((r) => r.id),
      )
    : [];
  const kind = request.payload.kind;
  const rows: repo.OutboxInsert[] = [];
  const coalesced: repo.OutboxInsert[] = [];
  for (const recipient of recipients) {
    const summarize = recipient.delivery === 'digest' && IMMEDIATE_KINDS.has(kind);
    for (const channel of recipient.channels as Channel[]) {
      const targets =
        channel === 'webhook'
          ? subscriptions
              .filter(
                (s) => s.user_id === recipient.id && (s.kinds === null || s.kinds.includes(kind)),
              )
              .map((s) => s.id)
          : [null];
      for (const subscriptionId of targets) {
        const suffix = `${recipient.id}:${channel}${subscriptionId === null ? '' : `:${subscriptionId}`}`;
        const base = {
          recipient_user_id: recipient.id,
          channel,
          webhook_subscription_id: subscriptionId,
          created_at: now,
          updated_at: now,
        };
        if (summarize && channel !== 'in_app') {
          coalesced.push({ ...base, ...summaryRow(settings, now, request, suffix) });
          continue;
        }
        const row = {
          ...base,
          idempotency_key: `${request.key}:${suffix}`,
          kind,
          matter_id: request.matterId,
          payload: JSON.stringify(request.payload),
          due_at: request.dueAt,
        };
        (request.coalesce ? coalesced : rows).push(row);
      }
    }
  }
  await repo.insertOutboxRows(db, rows);
  for (const row of coalesced) await repo.coalesceOutboxRow(db, row, now);
  return recipients.length;
}

/** A line in the recipient's daily summary, due at the firm's digest hour. */
function summaryRow(
  settings: NotificationSettings,
  now: Date,
  request: NotificationRequest,
  suffix: string,
) {
  const dueAt = nextDailyOccurrence(now, settings.timeZone, settings.digestHour);
  const date = localTime(dueAt, settings.timeZone).date;
  const rendered = renderNotification(request.payload, {
    baseUrl: settings.baseUrl,
    detail: false,
  });
  const payload: ActivitySummaryPayload = {
    kind: 'activity_summary',
    date,
    items: [{ kind: request.payload.kind, subject: rendered.subject, link: rendered.link }],
  };
  return {
    idempotency_key: `activity_summary:${date}:${suffix}`,
    kind: 'activity_summary',
    matter_id: null,
    payload: JSON.stringify(payload),
    due_at: dueAt,
  };
}
