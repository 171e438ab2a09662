import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** Every stage's stored SLA. */
export function listRows(db: Kysely<DB>) {
  return db
    .selectFrom('stage_sla')
    .select(['stage', 'business_days', 'hours'])
    .orderBy('stage')
    .execute();
}

/** The version and last change of the set; `lock` holds it until the transaction ends. */
export function findSetting(db: Kysely<DB>, lock = false) {
  let query = db
    .selectFrom('stage_sla_setting as s')
    .leftJoin('app_user as u', 'u.id', 's.updated_by')
    .select(['s.version', 's.updated_at', 'u.email as updated_by']);
  if (lock) query = query.forUpdate('s');
  return query.executeTakeFirstOrThrow();
}

/** Writes one stage's SLA (null, null: no SLA). */
export async function upsertRow(
  db: Kysely<DB>,
  row: { stage: string; business_days: number | null; hours: number | null },
): Promise<void> {
  await db
    .insertInto('stage_sla')
    .values(row)
    .onConflict((oc) =>
      oc.column('stage').doUpdateSet({ business_days: row.business_days, hours: row.hours }),
    )
    .execute();
}

/** Moves the set to its next version when it is still at `version`; false when it was not. */
export async function bumpVersion(
  db: Kysely<DB>,
  version: number,
  change: { updatedBy: number | null; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('stage_sla_setting')
    .set({ version: version + 1, updated_by: change.updatedBy, updated_at: change.now })
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
