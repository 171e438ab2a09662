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
  // Outside a transaction a lock ends with its statement: nothing is remembered as held.
  const mine = held.get(db) ?? new Set<string>();
  if (db.isTransaction && !held.has(db)) held.set(db, mine);
  const wanted = new Map<string, { clientId: number; date: string }>();
  for (const day of days) {
    const key = dayKey(day.clientId, day.date);
    if (!mine.has(key)) wanted.set(key, day);
  }
  if (wanted.size === 0) return;
  const keys = [...wanted.values()]
    .sort((a, b) => a.clientId - b.clientId || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((day) => dayKey(day.clientId, day.date));
  // The ordered subquery hands the keys to the lock function one by one, in this order.
  await sql`
    select pg_advisory_xact_lock(${CLIENT_DAY_LOCK}, hashtext(k))
    from (select k from unnest(${keys}::text[]) with ordinality as u(k, n) order by n) ordered`.execute(
    db,
  );
  if (db.isTransaction) for (const key of keys) mine.add(key);
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

/**
 * Counted entries of one client on `dates`: those of the listed timekeepers (on any of the
 * client's matters) and those on the listed matters. Each OR branch matches one index.
 */
export function findEntriesOfDays(
  db: Kysely<DB>,
  clientId: number,
  dates: readonly string[],
  timekeeperIds: readonly number[],
  matterIds: readonly number[],
): Promise<WorkEntryRow[]> {
  return selectEntries(db)
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
