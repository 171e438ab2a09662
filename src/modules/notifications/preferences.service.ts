/** Each user's own notification preferences, matter mutes and webhook subscriptions. */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../config/context.js';
import { notFound, staleVersion } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
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

function subscriptionDto(row: {
  id: number;
  url: string;
  kinds: string[] | null;
  active: boolean;
  created_at: Date;
}): SubscriptionDto {
  return { ...row, created_at: row.created_at.toISOString() };
}

/** The actor's webhook subscriptions (secrets are shown only when created). */
export async function listSubscriptions(ctx: AppContext, actor: Actor): Promise<SubscriptionDto[]> {
  const rows = await ctx.db
    .selectFrom('webhook_subscription')
    .select(['id', 'url', 'kinds', 'active', 'created_at'])
    .where('user_id', '=', Number(actor.userId))
    .orderBy('id')
    .execute();
  return rows.map(subscriptionDto);
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
    return { ...subscriptionDto(row), secret };
  });
}

/** Stops one of the actor's subscriptions; someone else's is 404. */
export async function deactivateSubscription(
  ctx: AppContext,
  actor: Actor,
  id: number,
): Promise<void> {
  const result = await ctx.db
    .updateTable('webhook_subscription')
    .set({ active: false })
    .where('id', '=', id)
    .where('user_id', '=', Number(actor.userId))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0)
    throw notFound('WEBHOOK_SUBSCRIPTION_NOT_FOUND', `No webhook subscription ${id}.`);
}
