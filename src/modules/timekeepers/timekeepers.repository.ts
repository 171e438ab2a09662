import type { Insertable, Kysely } from 'kysely';
import type { DB, TimekeeperTable } from '../../db/schema.js';
import { containsPattern } from '../shared/references.repository.js';
import type { TimekeeperListQuery } from './timekeepers.schemas.js';

export const TIMEKEEPER_COLUMNS = [
  'id',
  'timekeeper_code',
  'first_name',
  'last_name',
  'classification',
  'email',
  'standard_rate_cents',
  'currency',
  'practice_group',
  'active',
  'version',
  'created_at',
  'updated_at',
] as const;

export function findTimekeeperById(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('timekeeper')
    .select(TIMEKEEPER_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** One page of timekeepers in id order, plus one row to tell whether more follow. */
export function listTimekeepers(
  db: Kysely<DB>,
  query: TimekeeperListQuery,
  afterId: number | null,
) {
  let q = db
    .selectFrom('timekeeper')
    .select(TIMEKEEPER_COLUMNS)
    .orderBy('id')
    .limit(query.limit + 1);
  if (afterId !== null) q = q.where('id', '>', afterId);
  if (query.q) {
    const pattern = containsPattern(query.q);
    q = q.where((eb) =>
      eb.or([
        eb('timekeeper_code', 'ilike', pattern),
        eb('first_name', 'ilike', pattern),
        eb('last_name', 'ilike', pattern),
      ]),
    );
  }
  if (query.classification) q = q.where('classification', '=', query.classification);
  if (query.practice_group) q = q.where('practice_group', '=', query.practice_group);
  if (query.active) q = q.where('active', '=', query.active === 'true');
  return q.execute();
}

export function insertTimekeeper(db: Kysely<DB>, values: Insertable<TimekeeperTable>) {
  return db
    .insertInto('timekeeper')
    .values(values)
    .returning(TIMEKEEPER_COLUMNS)
    .executeTakeFirstOrThrow();
}
