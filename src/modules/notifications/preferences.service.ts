/** Each user's own notification preferences, matter mutes and webhook subscriptions. */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../config/context.js';
import { notFound, staleVersion } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { visibleMatterIds } from '../matters/matter-access.js';
import type { PreferencesDto, SubscriptionDto } from './notifications.schemas.js';

const DEFAULT_CHANNELS = ['in_app', 'email'];

/** The actor's preferences (the defaults until they change them). */
export async function getPreferences(ctx: AppContext, actor: Actor): Promise<PreferencesDto> {
  const userId = Number(actor.userId);
  const [row, mutes] = await Promise.all([
    ctx.db
      .selectFrom('notification_preference')
      .select(['channels', 'delivery', 'version'])
      .where('user_id', '=', userId)
      .executeTakeFirst(),
    ctx.db
      .selectFrom('notification_mute')
      .select('matter_id')
      .where('user_id', '=', userId)
      .orderBy('matter_id')
      .execute(),
  ]);
  return {
    channels: (row?.channels ?? DEFAULT_CHANNELS) as PreferencesDto['channels'],
    delivery: (row?.delivery ?? 'immediate') as PreferencesDto['delivery'],
    muted_matter_ids: mutes.map((m) => m.matter_id),
    version: row?.version ?? 0,
  };
}

/** Sets channels and delivery; `version` guards against overwriting a change made elsewhere. */
export async function setPreferences(
  ctx: AppContext,
  actor: Actor,
  body: { channels: string[]; delivery: 'immediate' | 'digest'; version?: number },
): Promise<PreferencesDto> {
  const userId = Number(actor.userId);
  const now = ctx.now();
  const current = await getPreferences(ctx, actor);
  if (body.version !== undefined && body.version !== current.version)
    throw staleVersion('notification preference', body.version, current.version);
  const written = await ctx.db
    .insertInto('notification_preference')
    .values({ user_id: userId, channels: body.channels, delivery: body.delivery, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet((eb) => ({
          channels: eb.ref('excluded.channels'),
          delivery: eb.ref('excluded.delivery'),
          version: eb('notification_preference.version', '+', 1),
          updated_at: now,
        }))
        .where('notification_preference.version', '=', current.version),
    )
    .executeTakeFirst();
  if (Number(written.numInsertedOrUpdatedRows ?? 0n) === 0)
    throw staleVersion('notification preference', current.version);
  return getPreferences(ctx, actor);
}

/** Mutes (or unmutes) a matter the actor can see; an invisible matter is 404. */
export async function setMute(
  ctx: AppContext,
  actor: Actor,
  matterId: number,
  muted: boolean,
): Promise<PreferencesDto> {
  const userId = Number(actor.userId);
  const matter = await ctx.db
    .selectFrom('matter')
    .select('id')
    .where('id', '=', matterId)
    .where('id', 'in', visibleMatterIds(ctx.db, actor, 'record'))
    .executeTakeFirst();
  if (!matter) throw notFound('MATTER_NOT_FOUND', `No matter with id ${matterId}.`);
  if (muted)
    await ctx.db
      .insertInto('notification_mute')
      .values({ user_id: userId, matter_id: matterId, created_at: ctx.now() })
      .onConflict((oc) => oc.columns(['user_id', 'matter_id']).doNothing())
      .execute();
  else
    await ctx.db
      .deleteFrom('notification_mute')
      .where('user_id', '=', userId)
      .where('matter_id', '=', matterId)
      .execute();
  return getPreferences(ctx, actor);
}

type Deliveries = SubscriptionDto['deliveries'];
const NO_DELIVERIES: Deliveries = {
  delivered: 0,
  pending: 0,
  parked: 0,
  last_delivered_at: null,
  last_error: null,
};

function subscriptionDto(
  row: { id: number; url: string; kinds: string[] | null; active: boolean; created_at: Date },
  deliveries: Deliveries = NO_DELIVERIES,
): SubscriptionDto {
  return { ...row, created_at: row.created_at.toISOString(), deliveries };
}

/** How the outbox's messages to each subscription stand, by subscription id. */
async function deliveriesBySubscription(
  db: AppContext['db'],
  ids: number[],
): Promise<Map<number, Deliveries>> {
  if (ids.length === 0) return new Map();
  const counts = await db
    .selectFrom('notification_outbox')
    .select((eb) => [
      'webhook_subscription_id as id',
      eb.fn.countAll<number>().filterWhere('state', '=', 'delivered').as('delivered'),
      eb.fn.countAll<number>().filterWhere('state', '=', 'pending').as('pending'),
      eb.fn.countAll<number>().filterWhere('state', '=', 'parked').as('parked'),
      eb.fn.max('delivered_at').as('last_delivered_at'),
    ])
    .where('webhook_subscription_id', 'in', ids)
    .groupBy('webhook_subscription_id')
    .execute();
  const errors = await db
    .selectFrom('notification_outbox')
    .distinctOn('webhook_subscription_id')
    .select(['webhook_subscription_id as id', 'last_error'])
    .where('webhook_subscription_id', 'in', ids)
    .where('last_error', 'is not', null)
    .orderBy('webhook_subscription_id')
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const byId = new Map<number, Deliveries>();
  for (const row of counts)
    byId.set(Number(row.id), {
      delivered: Number(row.delivered),
      pending: Number(row.pending),
      parked: Number(row.parked),
      last_delivered_at: row.last_delivered_at
        ? new Date(row.last_delivered_at).toISOString()
        : null,
      last_error: errors.find((e) => e.id === row.id)?.last_error ?? null,
    });
  return byId;
}

/** The actor's webhook subscriptions with how their deliveries stand (secrets never). */
export async function listSubscriptions(ctx: AppContext, actor: Actor): Promise<SubscriptionDto[]> {
  const rows = await ctx.db
    .selectFrom('webhook_subscription')
    .select(['id', 'url', 'kinds', 'active', 'created_at'])
    .where('user_id', '=', Number(actor.userId))
    .orderBy('id')
    .execute();
  const deliveries = await deliveriesBySubscription(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => subscriptionDto(row, deliveries.get(row.id)));
}

/** Adds a subscription with a fresh secret; webhook joins the actor's channels. */
export async function createSubscription(
  ctx: AppContext,
  actor: Actor,
  body: { url: string; kinds?: string[] },
): Promise<SubscriptionDto & { secret: string }> {
  const userId = Number(actor.userId);
  const secret = randomBytes(32).toString('hex');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('webhook_subscription')
      .values({
        user_id: userId,
        url: body.url,
        secret,
        kinds: body.kinds ?? null,
        created_at: ctx.now(),
      })
      .returning(['id', 'url', 'kinds', 'active', 'created_at'])
      .executeTakeFirstOrThrow();
    // A subscription is a request to hear on that channel too.
    await trx
      .insertInto('notification_preference')
      .values({
        user_id: userId,
        channels: [...DEFAULT_CHANNELS, 'webhook'],
        updated_at: ctx.now(),
      })
      .onConflict((oc) =>
        oc
          .column('user_id')
          .doUpdateSet((eb) => ({
            channels: eb.fn<string[]>('array_append', [
              eb.ref('notification_preference.channels'),
              eb.val('webhook'),
            ]),
            version: eb('notification_preference.version', '+', 1),
            updated_at: ctx.now(),
          }))
          .where((eb) =>
            eb.not(eb(eb.val('webhook'), '=', eb.fn.any('notification_preference.channels'))),
          ),
      )
      .execute();
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'webhook_subscription.create',
        entityType: 'webhook_subscription',
        entityId: row.id,
        after: { url: row.url, kinds: row.kinds },
      },
      ctx.now(),
    );
    return { ...subscriptionDto(row), secret };
  });
}

/** Stops one of the actor's subscriptions; someone else's is 404. */
export async function deactivateSubscription(
  ctx: AppContext,
  actor: Actor,
  id: number,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('webhook_subscription')
      .set({ active: false })
      .where('id', '=', id)
      .where('user_id', '=', Number(actor.userId))
      .returning(['url'])
      .executeTakeFirst();
    if (!row) throw notFound('WEBHOOK_SUBSCRIPTION_NOT_FOUND', `No webhook subscription ${id}.`);
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'webhook_subscription.deactivate',
        entityType: 'webhook_subscription',
        entityId: id,
        before: { url: row.url },
      },
      ctx.now(),
    );
  });
}
