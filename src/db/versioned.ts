import type { Kysely, Updateable } from 'kysely';
import { sql } from 'kysely';
import { notFound, staleVersion } from '../domain/errors.js';
import type { DB } from './schema.js';

type VersionedTable = {
  [K in keyof DB]: DB[K] extends { id: unknown; version: unknown; updated_at: unknown } ? K : never;
}[keyof DB];

/**
 * Optimistic-concurrency update: writes only when the row still has `version`, bumps it, and
 * returns the new row. A missing row is a not-found error; a changed row is STALE_VERSION (409).
 */
export async function updateVersioned<T extends VersionedTable>(
  db: Kysely<DB>,
  table: T,
  id: number,
  version: number,
  values: Updateable<DB[T]>,
  notFoundCode: string,
  now: Date,
): Promise<void> {
  const anyDb = db as Kysely<any>;
  const result = await anyDb
    .updateTable(table as string)
    .set({ ...(values as object), version: sql`version + 1`, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (result.numUpdatedRows > 0n) return;
  const current = await anyDb
    .selectFrom(table as string)
    .select('version')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!current) throw notFound(notFoundCode, `No ${table.replace('_', ' ')} ${id}.`);
  throw staleVersion(table.replace('_', ' '), version, current.version as number);
}
