import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

const COLUMNS = ['role', 'rates', 'reasons', 'version', 'updated_at'] as const;

/** Every role's row, in a stable order. */
export function listRows(db: Kysely<DB>) {
  return db.selectFrom('field_visibility').select(COLUMNS).orderBy('role').execute();
}

/** The rows of the given roles (the caller's, to decide what it sees). */
export function rowsOfRoles(db: Kysely<DB>, roles: readonly string[]) {
  if (roles.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('field_visibility')
    .select(['role', 'rates', 'reasons'])
    .where('role', 'in', roles)
    .execute();
}

export function findRow(db: Kysely<DB>, role: string) {
  return db
    .selectFrom('field_visibility')
    .select(COLUMNS)
    .where('role', '=', role)
    .executeTakeFirst();
}

/** Writes a role's flags when its version still matches; false when it did not. */
export async function updateRow(
  db: Kysely<DB>,
  role: string,
  change: {
    rates: boolean;
    reasons: boolean;
    version: number;
    updatedBy: number | null;
    now: Date;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('field_visibility')
    .set({
      rates: change.rates,
      reasons: change.reasons,
      version: change.version + 1,
      updated_by: change.updatedBy,
      updated_at: change.now,
    })
    .where('role', '=', role)
    .where('version', '=', change.version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
