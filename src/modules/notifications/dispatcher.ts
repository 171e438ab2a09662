/**
 * The outbox dispatcher. It claims due rows with `FOR UPDATE SKIP LOCKED` and a lease (so any
 * number of dispatchers share the work and a crashed one's rows come back when the lease runs
 * out), delivers each through its channel, and records the outcome: delivered, or the error and
 * the next try with exponential backoff, or parked after the last try. Delivery is at least
 * once: a dispatcher killed after sending and before recording sends again, with the same
 * idempotency key. In-app messages are written and recorded in one transaction: exactly once.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { NotificationSettings } from '../../config/notifications.js';
import type { DB } from '../../db/schema.js';
import { afterFailure } from '../../domain/notifications/backoff.js';
import type { NotificationPayload } from '../../domain/notifications/kinds.js';
import { renderNotification } from '../../domain/notifications/templates.js';
import type { DeliveryChannels, OutgoingMessage } from './channels/channel.js';
import { notificationSettingsOf } from './settings.js';

export interface DispatchOptions {
  /** Rows claimed at once. */
  batchSize?: number;
  /** How long a claim holds before another dispatcher may take the row. */
  leaseMs?: number;
}

export interface DispatchResult {
  claimed: number;
  delivered: number;
  failed: number;
  parked: number;
}

const DEFAULT_BATCH = 50;
/** Longer than the slowest delivery (webhooks time out after 10 s; SMTP after its own timeouts). */
const DEFAULT_LEASE_MS = 120_000;

type ClaimedRow = Awaited<ReturnType<typeof claimDue>>[number];

/** Claims due pending rows for this dispatcher, counting the attempt. */
async function claimDue(db: Kysely<DB>, now: Date, batchSize: number, leaseMs: number) {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('notification_outbox')
      .select('id')
      .where('state', '=', 'pending')
      .where('due_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .orderBy('due_at')
      .orderBy('id')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    return trx
      .updateTable('notification_outbox as o')
      .set({
        locked_until: new Date(now.getTime() + leaseMs),
        attempts: sql`o.attempts + 1`,
        updated_at: now,
      })
      .from('app_user as u')
      .whereRef('u.id', '=', 'o.recipient_user_id')
      .where(
        'o.id',
        'in',
        due.map((row) => row.id),
      )
      .returning([
        'o.id',
        'o.idempotency_key',
        'o.kind',
        'o.channel',
        'o.payload',
        'o.attempts',
        'o.created_at',
        'o.webhook_subscription_id',
        'o.locked_until',
        'u.id as user_id',
        'u.email',
        'u.name',
        'u.active',
      ])
      .execute();
  });
}

/** Delivers every due message once (one batch); call again while it returns a full batch. */
export async function dispatchDue(
  ctx: AppContext,
  channels: DeliveryChannels,
  options: DispatchOptions = {},
): Promise<DispatchResult> {
  const settings = notificationSettingsOf(ctx);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const rows = await claimDue(ctx.db, ctx.now(), batchSize, options.leaseMs ?? DEFAULT_LEASE_MS);
  const result: DispatchResult = { claimed: rows.length, delivered: 0, failed: 0, parked: 0 };
  await Promise.all(
    rows.map(async (row) => {
      const outcome = await deliverOne(ctx, settings, channels, row);
      result[outcome]++;
    }),
  );
  return result;
}

async function deliverOne(
  ctx: AppContext,
  settings: NotificationSettings,
  channels: DeliveryChannels,
  row: ClaimedRow,
): Promise<'delivered' | 'failed' | 'parked'> {
  // Someone deactivated since the message was queued hears nothing more.
  if (!row.active) {
    await ctx.db
      .updateTable('notification_outbox')
      .set({
        state: 'parked',
        last_error: 'recipient deactivated',
        locked_until: null,
        updated_at: ctx.now(),
      })
      .where('id', '=', row.id)
      .where('locked_until', '=', row.locked_until)
      .execute();
    return 'parked';
  }
  const payload = row.payload as NotificationPayload;
  const rendered = renderNotification(payload, {
    baseUrl: settings.baseUrl,
    detail: row.channel === 'in_app' || settings.includeNarratives,
  });
  const message: OutgoingMessage = {
    outboxId: row.id,
    idempotencyKey: row.idempotency_key,
    kind: row.kind,
    recipient: { userId: row.user_id, email: row.email, name: row.name },
    rendered,
    createdAt: row.created_at,
  };
  try {
    if (row.channel === 'in_app') {
      await deliverInApp(ctx, row, message);
      return 'delivered';
    }
    if (row.channel === 'email') await channels.email(message);
    else await channels.webhook(message, await webhookTarget(ctx.db, row));
  } catch (error) {
    return recordFailure(ctx, settings, row, error);
  }
  await ctx.db
    .updateTable('notification_outbox')
    .set({
      state: 'delivered',
      delivered_at: ctx.now(),
      last_error: null,
      locked_until: null,
      updated_at: ctx.now(),
    })
    .where('id', '=', row.id)
    .where('state', '=', 'pending')
    .execute();
  return 'delivered';
}

async function webhookTarget(db: Kysely<DB>, row: ClaimedRow) {
  const subscription = await db
    .selectFrom('webhook_subscription')
    .select(['url', 'secret', 'active'])
    .where('id', '=', row.webhook_subscription_id ?? -1)
    .executeTakeFirst();
  if (!subscription?.active) throw new Error('webhook subscription removed');
  return subscription;
}

/** The inbox row and the delivered mark together, so an in-app message lands exactly once. */
async function deliverInApp(ctx: AppContext, row: ClaimedRow, message: OutgoingMessage) {
  const payload = row.payload as { invoice?: { id: number }; matter?: { id: number } };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('inbox_message')
      .values({
        outbox_id: row.id,
        user_id: row.user_id,
        kind: row.kind,
        subject: message.rendered.subject,
        body: message.rendered.text,
        link: message.rendered.link,
        matter_id: payload.matter?.id ?? null,
        created_at: row.created_at,
      })
      .onConflict((oc) => oc.column('outbox_id').doNothing())
      .execute();
    await trx
      .updateTable('notification_outbox')
      .set({
        state: 'delivered',
        delivered_at: ctx.now(),
        last_error: null,
        locked_until: null,
        updated_at: ctx.now(),
      })
      .where('id', '=', row.id)
      .execute();
  });
}

async function recordFailure(
  ctx: AppContext,
  settings: NotificationSettings,
  row: ClaimedRow,
  error: unknown,
): Promise<'failed' | 'parked'> {
  const now = ctx.now();
  const next = afterFailure(row.attempts, settings.maxAttempts, now);
  const message = error instanceof Error ? error.message : String(error);
  await ctx.db
    .updateTable('notification_outbox')
    .set({
      state: next.state,
      last_error: message.slice(0, 2000),
      locked_until: null,
      updated_at: now,
      ...(next.state === 'pending' ? { due_at: next.dueAt } : {}),
    })
    .where('id', '=', row.id)
    .where('state', '=', 'pending')
    .execute();
  return next.state === 'parked' ? 'parked' : 'failed';
}
