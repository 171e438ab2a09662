import type { Insertable, Kysely } from 'kysely';
import type { DB, RateTable } from '../../db/schema.js';
import type { Actor } from '../../domain/policy.js';
import type { RateCandidate } from '../../domain/rates.js';
import { visibleMatterIds } from '../matters/matter-access.js';
import type { RateListQuery } from './rates.schemas.js';

/** Rates the actor may see: every default and client rate, and matter rates of visible matters. */
function selectVisibleRates(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('rate as r')
    .innerJoin('timekeeper as tk', 'tk.id', 'r.timekeeper_id')
    .leftJoin('client as c', 'c.id', 'r.client_id')
    .leftJoin('matter as m', 'm.id', 'r.matter_id')
    .select([
      'r.id',
      'r.timekeeper_id',
      'tk.timekeeper_code',
      'r.client_id',
      'c.client_code',
      'r.matter_id',
      'm.matter_code',
      'r.rate_cents',
      'r.currency',
      'r.effective_from',
      'r.effective_to',
      'r.active',
      'r.version',
      'r.created_at',
      'r.updated_at',
    ])
    .where((eb) =>
      eb.or([
        eb('r.matter_id', 'is', null),
        eb('r.matter_id', 'in', visibleMatterIds(db, actor, 'record')),
      ]),
    );
}

export type RateRow = NonNullable<Awaited<ReturnType<typeof findVisibleRate>>>;

export function findVisibleRate(db: Kysely<DB>, actor: Actor, id: number) {
  return selectVisibleRates(db, actor).where('r.id', '=', id).executeTakeFirst();
}

/** One page of visible rates in id order, plus one row to tell whether more follow. */
export function listVisibleRates(
  db: Kysely<DB>,
  actor: Actor,
  query: RateListQuery,
  afterId: number | null,
) {
  let q = selectVisibleRates(db, actor)
    .orderBy('r.id')
    .limit(query.limit + 1);
  if (afterId !== null) q = q.where('r.id', '>', afterId);
  if (query.timekeeper_code) q = q.where('tk.timekeeper_code', '=', query.timekeeper_code);
  if (query.client_code) q = q.where('c.client_code', '=', query.client_code);
  if (query.matter_code) q = q.where('m.matter_code', '=', query.matter_code);
  if (query.active) q = q.where('r.active', '=', query.active === 'true');
  return q.execute();
}

export async function insertRate(db: Kysely<DB>, values: Insertable<RateTable>) {
  const { id } = await db
    .insertInto('rate')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/**
 * Serializes rate changes per timekeeper, so two concurrent writes cannot both pass the overlap
 * check and leave two competing active rates.
 */
export async function lockTimekeeperRates(db: Kysely<DB>, timekeeperId: number): Promise<void> {
  await db
    .selectFrom('timekeeper')
    .select('id')
    .where('id', '=', timekeeperId)
    .forUpdate()
    .execute();
}

/**
 * Active rates of a timekeeper that could apply on a matter: its own, its client's and the
 * timekeeper's defaults. `matterId`/`clientId` null loads every active rate of the timekeeper.
 */
export async function findRateCandidates(
  db: Kysely<DB>,
  timekeeperId: number,
  scope: { matterId: number; clientId: number } | null,
): Promise<RateCandidate[]> {
  let q = db
    .selectFrom('rate')
    .select([
      'id',
      'timekeeper_id',
      'client_id',
      'matter_id',
      'rate_cents',
      'currency',
      'effective_from',
      'effective_to',
    ])
    .where('timekeeper_id', '=', timekeeperId)
    .where('active', '=', true);
  if (scope !== null) {
    q = q
      .where((eb) => eb.or([eb('matter_id', 'is', null), eb('matter_id', '=', scope.matterId)]))
      .where((eb) => eb.or([eb('client_id', 'is', null), eb('client_id', '=', scope.clientId)]));
  }
  const rows = await q.execute();
  return rows.map((row) => ({
    rateId: String(row.id),
    timekeeperId: String(row.timekeeper_id),
    clientId: row.client_id === null ? null : String(row.client_id),
    matterId: row.matter_id === null ? null : String(row.matter_id),
    rate: row.rate_cents,
    currency: row.currency,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
  }));
}
