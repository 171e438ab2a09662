/** The SQL of the firm calendar. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export function listHolidays(db: Kysely<DB>, range: { from?: string; to?: string } = {}) {
  let q = db
    .selectFrom('firm_holiday as h')
    .leftJoin('app_user as u', 'u.id', 'h.created_by')
    .select([
      'h.holiday_date',
      'h.name',
      'h.created_by',
      'u.email as created_by_email',
      'h.created_at',
    ]);
  if (range.from !== undefined) q = q.where('h.holiday_date', '>=', range.from);
  if (range.to !== undefined) q = q.where('h.holiday_date', '<=', range.to);
  return q.orderBy('h.holiday_date').execute();
}

/** Inserts the holiday unless the day is already one; true when it was inserted. */
export async function insertHoliday(
  db: Kysely<DB>,
  row: { holiday_date: string; name: string; created_by: number | null; created_at: Date },
): Promise<boolean> {
  const inserted = await db
    .insertInto('firm_holiday')
    .values(row)
    .onConflict((oc) => oc.column('holiday_date').doNothing())
    .returning('holiday_date')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Deletes the holiday; returns its name, or undefined when the day was no holiday. */
export async function deleteHoliday(db: Kysely<DB>, date: string) {
  const deleted = await db
    .deleteFrom('firm_holiday')
    .where('holiday_date', '=', date)
    .returning('name')
    .executeTakeFirst();
  return deleted?.name;
}

/** Every holiday date, for business-day arithmetic. */
export async function allHolidayDates(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('firm_holiday').select('holiday_date').execute();
  return rows.map((r) => r.holiday_date);
}
