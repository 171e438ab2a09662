/** The only SQL for the notification outbox, the inbox, subscriptions and preferences. */
import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB, NotificationOutboxTable } from '../../db/schema.js';

export interface Recipient {
  id: number;
  email: string;
  name: string;
  channels: string[];
  delivery: string;
  /** False when the matter is walled and the user is not a member. */
  maySee: boolean;
  muted: boolean;
}

/** Active users among `userIds`, with their preferences and what they may hear about `matterId`. */
export async function findRecipients(
  db: Kysely<DB>,
  userIds: readonly number[],
  matterId: number | null,
): Promise<Recipient[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('app_user as u')
    .leftJoin('notification_preference as p', 'p.user_id', 'u.id')
    .select((eb) => [
      'u.id',
      'u.email',
      'u.name',
      sql<string[]>`coalesce(p.channels, '{in_app,email}'::text[])`.as('channels'),
      sql<string>`coalesce(p.delivery, 'immediate')`.as('delivery'),
      matterId === null
        ? sql<boolean>`true`.as('may_see')
        : eb
            .or([
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('matter as m')
                    .select('m.id')
                    .where('m.id', '=', matterId)
                    .where('m.restricted', '=', true),
                ),
              ),
              eb.exists(
                eb
                  .selectFrom('matter_member as mm')
                  .select('mm.user_id')
                  .where('mm.matter_id', '=', matterId)
                  .whereRef('mm.user_id', '=', 'u.id'),
              ),
            ])
            .as('may_see'),
      matterId === null
        ? sql<boolean>`false`.as('muted')
        : eb
            .exists(
              eb
                .selectFrom('notification_mute as nm')
                .select('nm.user_id')
                .where('nm.matter_id', '=', matterId)
                .whereRef('nm.user_id', '=', 'u.id'),
            )
            .as('muted'),
    ])
    .where('u.id', 'in', [...userIds])
    .where('u.active', '=', true)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    channels: r.channels,
    delivery: r.delivery,
    maySee: Boolean(r.may_see),
    muted: Boolean(r.muted),
  }));
}

/** Active webhook subscriptions of these users. */
export function findSubscriptions(db: Kysely<DB>, userIds: readonly number[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('webhook_subscription')
    .select(['id', 'user_id', 'kinds'])
    .where('user_id', 'in', [...userIds])
    .where('active', '=', true)
    .execute();
}

export type OutboxInsert = Insertable<NotificationOutboxTable> & { payload: string };

/** Inserts outbox rows; a key already present is left alone (the change was already reported). */
export async function insertOutboxRows(db: Kysely<DB>, rows: readonly OutboxInsert[]) {
  if (rows.length === 0) return 0;
  const result = await db
    .insertInto('notification_outbox')
    .values(rows.map((r) => ({ ...r, payload: sql`${r.payload}::jsonb` })))
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/**
 * Inserts a row whose payload has an `items` list, or appends the items to the row already
 * waiting under the same key (one message per window or per day instead of one per item).
 * A row already being delivered or done is left alone.
 */
export async function coalesceOutboxRow(db: Kysely<DB>, row: OutboxInsert, now: Date) {
  await db
    .insertInto('notification_outbox')
    .values({ ...row, payload: sql`${row.payload}::jsonb` })
    .onConflict((oc) =>
      oc
        .column('idempotency_key')
        .doUpdateSet({
          payload: sql`jsonb_set(notification_outbox.payload, '{items}',
            (notification_outbox.payload -> 'items') || (excluded.payload -> 'items'))`,
          updated_at: now,
        })
        .where('notification_outbox.state', '=', 'pending')
        .where('notification_outbox.attempts', '=', 0),
    )
    .execute();
}
