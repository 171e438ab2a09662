import type { Insertable, Kysely } from 'kysely';
import type { DB, TimeEntryTable } from '../../db/schema.js';
import type { Actor } from '../../domain/policy.js';
import { ownWorkTimekeeperId, visibleMatterIds } from '../matters/matter-access.js';
import type { TimeEntryListQuery } from './time-entries.schemas.js';

/** Time entries the actor may see: on matters visible for work, and their own if they only record time. */
function selectVisibleTimeEntries(db: Kysely<DB>, actor: Actor) {
  let q = db
    .selectFrom('time_entry as te')
    .innerJoin('matter as m', 'm.id', 'te.matter_id')
    .innerJoin('timekeeper as tk', 'tk.id', 'te.timekeeper_id')
    .select(ENTRY_COLUMNS)
    .where('te.matter_id', 'in', visibleMatterIds(db, actor, 'work'));
  const own = ownWorkTimekeeperId(actor);
  if (own !== null) q = q.where('te.timekeeper_id', '=', own);
  return q;
}

const ENTRY_COLUMNS = [
  'te.id',
  'te.entry_id',
  'te.matter_id',
  'm.matter_code',
  'te.timekeeper_id',
  'tk.timekeeper_code',
  'te.work_date',
  'te.hours',
  'te.narrative',
  'te.task_code',
  'te.activity_code',
  'te.billable',
  'te.status',
  'te.released_at',
  'te.rate_cents',
  'te.amount_cents',
  'te.active',
  'te.version',
  'te.created_at',
  'te.updated_at',
] as const;

export type TimeEntryRow = NonNullable<Awaited<ReturnType<typeof findVisibleTimeEntry>>>;

export function findVisibleTimeEntry(db: Kysely<DB>, actor: Actor, id: number) {
  return selectVisibleTimeEntries(db, actor).where('te.id', '=', id).executeTakeFirst();
}

/** One page of visible time entries in id order, plus one row to tell whether more follow. */
export function listVisibleTimeEntries(
  db: Kysely<DB>,
  actor: Actor,
  query: TimeEntryListQuery,
  afterId: number | null,
) {
  let q = selectVisibleTimeEntries(db, actor)
    .orderBy('te.id')
    .limit(query.limit + 1);
  if (afterId !== null) q = q.where('te.id', '>', afterId);
  if (query.matter_code) q = q.where('m.matter_code', '=', query.matter_code);
  if (query.timekeeper_code) q = q.where('tk.timekeeper_code', '=', query.timekeeper_code);
  if (query.status) q = q.where('te.status', '=', query.status);
  if (query.from) q = q.where('te.work_date', '>=', query.from);
  if (query.to) q = q.where('te.work_date', '<=', query.to);
  if (query.active) q = q.where('te.active', '=', query.active === 'true');
  return q.execute();
}

/**
 * Inserts a time entry and returns it as `findVisibleTimeEntry` would, in one round trip: the
 * caller has already checked that the actor may record work on the matter for the timekeeper.
 */
export function insertTimeEntry(
  db: Kysely<DB>,
  values: Insertable<TimeEntryTable>,
): Promise<TimeEntryRow> {
  return db
    .with('ins', (w) => w.insertInto('time_entry').values(values).returningAll())
    .selectFrom('ins as te')
    .innerJoin('matter as m', 'm.id', 'te.matter_id')
    .innerJoin('timekeeper as tk', 'tk.id', 'te.timekeeper_id')
    .select(ENTRY_COLUMNS)
    .executeTakeFirstOrThrow();
}
