/** Operating the outbox: list messages by state (parked ones above all) and retry them. */
import type { AppContext } from '../../config/context.js';
import { conflict, notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import type { OutboxMessageDto } from './notifications.schemas.js';

const COLUMNS = [
  'id',
  'idempotency_key',
  'kind',
  'channel',
  'recipient_user_id',
  'state',
  'attempts',
  'last_error',
  'due_at',
  'delivered_at',
  'created_at',
] as const;

/** Outbox messages in `state`, oldest first. Operators' view: no payloads, no bodies. */
export async function listOutbox(
  ctx: AppContext,
  query: { limit: number; cursor?: string; state: 'pending' | 'delivered' | 'parked' },
) {
  const after = decodeCursor(query.cursor);
  let q = ctx.db
    .selectFrom('notification_outbox')
    .select(COLUMNS)
    .where('state', '=', query.state)
    .orderBy('id')
    .limit(query.limit + 1);
  if (after !== null) q = q.where('id', '>', after);
  const rows = (await q.execute()).map((r): OutboxMessageDto => ({
    ...r,
    due_at: r.due_at.toISOString(),
    delivered_at: r.delivered_at?.toISOString() ?? null,
    created_at: r.created_at.toISOString(),
  }));
  return toPage(rows, query.limit);
}

/** Puts a parked message back in the queue, due now with a fresh count of tries. */
export async function retryMessage(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('notification_outbox')
      .select(['id', 'state', 'attempts', 'last_error'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('NOTIFICATION_NOT_FOUND', `No notification ${id}.`);
    if (row.state !== 'parked')
      throw conflict(
        'NOTIFICATION_NOT_PARKED',
        `Notification ${id} is ${row.state}; only parked ones are retried.`,
      );
    await trx
      .updateTable('notification_outbox')
      .set({ state: 'pending', attempts: 0, due_at: now, locked_until: null, updated_at: now })
      .where('id', '=', id)
      .execute();
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'notification.retry',
        entityType: 'notification',
        entityId: id,
        before: { state: row.state, attempts: row.attempts, last_error: row.last_error },
        after: { state: 'pending', attempts: 0 },
      },
      now,
    );
  });
}
