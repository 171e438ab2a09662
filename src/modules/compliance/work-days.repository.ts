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

/**
 * Serializes save-time checks of the same client and work dates: two entries saved on one day
 * at the same moment would otherwise each judge the day without the other (daily hours,
 * duplicates, internal conferences). Dates are locked in order so two checks never deadlock.
 */
export async function lockClientDays(
  db: Kysely<DB>,
  clientId: number,
  dates: string[],
): Promise<void> {
  for (const date of [...new Set(dates)].sort()) {
    await sql`select pg_advisory_xact_lock(${CLIENT_DAY_LOCK}, hashtext(${`${clientId}:${date}`}))`.execute(
      db,
    );
  }
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
