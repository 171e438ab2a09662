import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';

function selectMatterTimekeepers(db: Kysely<DB>) {
  return db
    .selectFrom('matter_timekeeper as mt')
    .innerJoin('timekeeper as tk', 'tk.id', 'mt.timekeeper_id')
    .select([
      'mt.matter_id',
      'mt.timekeeper_id',
      'tk.timekeeper_code',
      'tk.first_name',
      'tk.last_name',
      'tk.classification',
      'mt.approved_rate_cents',
      'mt.version',
      'mt.created_at',
      'mt.updated_at',
    ]);
}

export type MatterTimekeeperRow = NonNullable<Awaited<ReturnType<typeof findMatterTimekeeper>>>;

export function listMatterTimekeepers(db: Kysely<DB>, matterId: number) {
  return selectMatterTimekeepers(db)
    .where('mt.matter_id', '=', matterId)
    .orderBy('tk.timekeeper_code')
    .execute();
}

export function findMatterTimekeeper(db: Kysely<DB>, matterId: number, timekeeperId: number) {
  return selectMatterTimekeepers(db)
    .where('mt.matter_id', '=', matterId)
    .where('mt.timekeeper_id', '=', timekeeperId)
    .executeTakeFirst();
}

export async function insertMatterTimekeeper(
  db: Kysely<DB>,
  values: { matterId: number; timekeeperId: number; approvedRateCents: number | null; now: Date },
): Promise<void> {
  await db
    .insertInto('matter_timekeeper')
    .values({
      matter_id: values.matterId,
      timekeeper_id: values.timekeeperId,
      approved_rate_cents: values.approvedRateCents,
      created_at: values.now,
      updated_at: values.now,
    })
    .execute();
}

/** Optimistic-concurrency update on the composite key; false when `version` is no longer current. */
export async function updateMatterTimekeeper(
  db: Kysely<DB>,
  matterId: number,
  timekeeperId: number,
  version: number,
  approvedRateCents: number | null,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('matter_timekeeper')
    .set({ approved_rate_cents: approvedRateCents, version: sql`version + 1`, updated_at: now })
    .where('matter_id', '=', matterId)
    .where('timekeeper_id', '=', timekeeperId)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteMatterTimekeeper(
  db: Kysely<DB>,
  matterId: number,
  timekeeperId: number,
): Promise<boolean> {
  const result = await db
    .deleteFrom('matter_timekeeper')
    .where('matter_id', '=', matterId)
    .where('timekeeper_id', '=', timekeeperId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
