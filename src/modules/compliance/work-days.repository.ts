/**
 * The save-time queries: one entry or expense, and the same-day work around it. Each OR branch
 * of the day queries matches one of the (timekeeper_id, work_date) and (matter_id, work_date)
 * indexes.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import {
  selectEntries,
  selectExpenses,
  type WorkEntryRow,
  type WorkExpenseRow,
} from './work.repository.js';
import type { ActiveVersionRow } from './active-guidelines.repository.js';
import { LIVE_COLUMNS, type LiveExceptionRow } from './exceptions.repository.js';

/** `json_build_object` arguments giving a live exception the shape `findLiveExceptions` reads. */
const LIVE_JSON_FIELDS = LIVE_COLUMNS.map((column) => `'${column}', ge.${column}`).join(', ');

/** Namespace of the advisory locks that order save-time checks of one client's day. */
const CLIENT_DAY_LOCK = 7261002;

/** Client-days whose lock a transaction already holds (advisory locks last until commit). */
const held = new WeakMap<Kysely<DB>, Set<string>>();

const dayKey = (clientId: number, date: string) => `${clientId}:${date}`;

/**
 * Serializes save-time checks of the same client and work dates: two entries saved on one day
 * at the same moment would otherwise each judge the day without the other (daily hours,
 * duplicates, internal conferences). Dates are locked in order so two checks never deadlock;
 * days this transaction already holds are not asked for again.
 */
export async function lockClientDays(
  db: Kysely<DB>,
  clientId: number,
  dates: string[],
): Promise<void> {
  await lockClientDayPairs(
    db,
    dates.map((date) => ({ clientId, date })),
  );
}

/**
 * Locks several clients' days in one statement, in the order every caller uses (client, then
 * date), so transactions that lock more than one day never wait on each other in a circle.
 */
export async function lockClientDayPairs(
  db: Kysely<DB>,
  days: readonly { clientId: number; date: string }[],
): Promise<void> {
  const keys = keysToLock(db, days);
  if (keys.length === 0) return;
  await sql`select 1 from (${lockStatement(keys)}) locked`.execute(db);
  markHeld(db, keys);
}

/**
 * Locks the days as `lockClientDayPairs` does and, in the same statement, reads the active
 * guideline versions (firm-wide and of the given clients) that will judge the work on them:
 * the first round trip of a save-time batch does both.
 */
export async function lockClientDaysReadingVersions(
  db: Kysely<DB>,
  days: readonly { clientId: number; date: string }[],
  clientIds: readonly number[],
): Promise<ActiveVersionRow[]> {
  const keys = keysToLock(db, days);
  // The lock count is one row whatever the versions, so the locks are taken even when no
  // version applies.
  const { rows } = await sql<ActiveVersionRow | { id: null }>`
    select v.id, v.guideline_key, v.client_id, v.version, v.effective_from
    from (${lockStatement(keys)}) locked
    left join guideline_version v on v.status = 'active'
      and (v.client_id is null or v.client_id = any(${[...clientIds]}::bigint[]))`.execute(db);
  markHeld(db, keys);
  return rows.filter((row): row is ActiveVersionRow => row.id !== null);
}

/** The days not yet held by this transaction, as lock keys in the one global order. */
function keysToLock(db: Kysely<DB>, days: readonly { clientId: number; date: string }[]): string[] {
  const mine = held.get(db);
  const wanted = new Map<string, { clientId: number; date: string }>();
  for (const day of days) {
    const key = dayKey(day.clientId, day.date);
    if (!mine?.has(key)) wanted.set(key, day);
  }
  return [...wanted.values()]
    .sort((a, b) => a.clientId - b.clientId || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((day) => dayKey(day.clientId, day.date));
}

/** One row: the ordered subquery hands the keys to the lock function one by one, in order. */
function lockStatement(keys: readonly string[]) {
  return sql`select count(pg_advisory_xact_lock(${CLIENT_DAY_LOCK}, hashtext(k))) as locked
    from (select k from unnest(${[...keys]}::text[]) with ordinality as u(k, n) order by n) ordered`;
}

/** Outside a transaction a lock ends with its statement: nothing is remembered as held. */
function markHeld(db: Kysely<DB>, keys: readonly string[]): void {
  if (!db.isTransaction) return;
  let mine = held.get(db);
  if (mine === undefined) held.set(db, (mine = new Set()));
  for (const key of keys) mine.add(key);
}

export function findEntry(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('time_entry as te')
    .innerJoin('matter as m', 'm.id', 'te.matter_id')
    .select([
      'te.id',
      'te.matter_id',
      'te.timekeeper_id',
      'te.work_date',
      'te.status',
      'te.active',
      'm.client_id',
    ])
    .where('te.id', '=', id)
    .executeTakeFirst();
}

export function findExpense(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('expense as e')
    .innerJoin('matter as m', 'm.id', 'e.matter_id')
    .select([
      'e.id',
      'e.matter_id',
      'e.timekeeper_id',
      'e.expense_date',
      'e.status',
      'e.active',
      'm.client_id',
    ])
    .where('e.id', '=', id)
    .executeTakeFirst();
}

/** A counted entry of a day, with its open and waived exceptions. */
export type DayEntryRow = WorkEntryRow & { live_exceptions: LiveExceptionRow[] };

/**
 * Counted entries of one client on `dates`: those of the listed timekeepers (on any of the
 * client's matters) and those on the listed matters, each with its live exceptions (read in
 * the same statement, so the check that judges the day needs no second round trip for them).
 * Each OR branch matches one index.
 */
export function findEntriesOfDays(
  db: Kysely<DB>,
  clientId: number,
  dates: readonly string[],
  timekeeperIds: readonly number[],
  matterIds: readonly number[],
): Promise<DayEntryRow[]> {
  return selectEntries(db)
    .select(
      sql<LiveExceptionRow[]>`(
        select coalesce(json_agg(json_build_object(${sql.raw(LIVE_JSON_FIELDS)}) order by ge.id), '[]')
        from guideline_exception ge
        where ge.time_entry_id = te.id and ge.state in ('open', 'waived'))`.as('live_exceptions'),
    )
    .where(sql<boolean>`te.work_date = any(${[...dates]}::date[])`)
    .where((eb) =>
      eb.or([
        sql<boolean>`te.timekeeper_id = any(${[...timekeeperIds]}::bigint[])`,
        sql<boolean>`te.matter_id = any(${[...matterIds]}::bigint[])`,
      ]),
    )
    .where('te.matter_id', 'in', (eb) =>
      eb.selectFrom('matter').select('id').where('client_id', '=', clientId),
    )
    .orderBy('te.id')
    .execute();
}

/** Counted expenses on the given matters on the given dates. */
export function findExpensesOfDays(
  db: Kysely<DB>,
  dates: readonly string[],
  matterIds: readonly number[],
): Promise<WorkExpenseRow[]> {
  return selectExpenses(db)
    .where(sql<boolean>`e.expense_date = any(${[...dates]}::date[])`)
    .where(sql<boolean>`e.matter_id = any(${[...matterIds]}::bigint[])`)
    .orderBy('e.id')
    .execute();
}
