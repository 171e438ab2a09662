/** The signed-in user's in-app inbox: their messages, unread count, marking read. */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { visibleMatterIds } from '../matters/matter-access.js';
import type { InboxMessageDto } from './notifications.schemas.js';

/** Messages the actor may still see: a wall raised since delivery hides them too. */
function ownMessages(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('inbox_message as im')
    .where('im.user_id', '=', Number(actor.userId))
    .where((eb) =>
      eb.or([
        eb('im.matter_id', 'is', null),
        eb('im.matter_id', 'in', visibleMatterIds(db, actor, 'work')),
      ]),
    );
}

/** Counts the actor's unread messages. */
export async function countUnread(ctx: AppContext, actor: Actor): Promise<number> {
  const row = await ownMessages(ctx.db, actor)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('im.read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The actor's messages, newest first. */
export async function listInbox(
  ctx: AppContext,
  actor: Actor,
  query: { limit: number; cursor?: string; unread?: 'true' | 'false' },
) {
  const after = decodeCursor(query.cursor);
  let q = ownMessages(ctx.db, actor)
    .select(['im.id', 'im.kind', 'im.subject', 'im.body', 'im.link', 'im.created_at', 'im.read_at'])
    .orderBy('im.id', 'desc')
    .limit(query.limit + 1);
  if (after !== null) q = q.where('im.id', '<', after);
  if (query.unread === 'true') q = q.where('im.read_at', 'is', null);
  if (query.unread === 'false') q = q.where('im.read_at', 'is not', null);
  const rows = (await q.execute()).map((r): InboxMessageDto => ({
    ...r,
    created_at: r.created_at.toISOString(),
    read_at: r.read_at?.toISOString() ?? null,
  }));
  return { ...toPage(rows, query.limit), unread_count: await countUnread(ctx, actor) };
}

/** Marks one of the actor's messages read (again is harmless); another user's is 404. */
export async function markRead(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  const message = await ownMessages(ctx.db, actor)
    .select(['im.id'])
    .where('im.id', '=', id)
    .executeTakeFirst();
  if (!message) throw notFound('INBOX_MESSAGE_NOT_FOUND', `No inbox message ${id}.`);
  await ctx.db
    .updateTable('inbox_message')
    .set({ read_at: ctx.now() })
    .where('id', '=', id)
    .where('read_at', 'is', null)
    .execute();
}

/** Marks all the actor's messages read. */
export async function markAllRead(ctx: AppContext, actor: Actor): Promise<number> {
  const result = await ctx.db
    .updateTable('inbox_message')
    .set({ read_at: ctx.now() })
    .where('user_id', '=', Number(actor.userId))
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
