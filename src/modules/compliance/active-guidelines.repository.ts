/** Reading the active guideline versions that apply to a client's work. */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface ActiveVersionRow {
  id: number;
  guideline_key: string;
  client_id: number | null;
  version: number;
  effective_from: string;
}

/** The active firm-wide version and the client's active version (at most one each). */
export function findActiveVersions(db: Kysely<DB>, clientId: number): Promise<ActiveVersionRow[]> {
  return db
    .selectFrom('guideline_version')
    .select(['id', 'guideline_key', 'client_id', 'version', 'effective_from'])
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('client_id', 'is', null), eb('client_id', '=', clientId)]))
    .execute();
}

/** The stored documents (parsed `Guideline` objects) of the given versions. */
export async function findDocuments(
  db: Kysely<DB>,
  ids: readonly number[],
): Promise<Map<number, unknown>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('guideline_version')
    .select(['id', 'document'])
    .where(sql<boolean>`id = any(${[...ids]}::bigint[])`)
    .execute();
  return new Map(rows.map((row) => [row.id, row.document]));
}
