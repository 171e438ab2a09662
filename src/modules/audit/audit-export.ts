import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { IsoDate } from '../../domain/dates.js';
import { listAuditEvents } from './audit.repository.js';
import type { AuditEventRow } from './audit.repository.js';

/** One event as a SIEM reads it: every column, including both hashes, so the export is checkable. */
export function toAuditLine(row: AuditEventRow): string {
  return JSON.stringify({
    id: row.id,
    occurred_at: row.occurred_at.toISOString(),
    actor: row.actor,
    actor_user_id: row.actor_user_id,
    action: row.action,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    before: row.before,
    after: row.after,
    reason: row.reason,
    prev_hash: row.prev_hash,
    hash: row.hash,
  });
}

/**
 * Writes the events that occurred from `from` to `to` (inclusive UTC days) as JSON lines in id
 * order, a page at a time and respecting back-pressure, so a year of events never sits in
 * memory. Returns the number of events written.
 */
export async function exportAuditEvents(
  db: Kysely<DB>,
  range: { from: IsoDate; to: IsoDate },
  output: Writable,
  { batchSize = 5000 }: { batchSize?: number } = {},
): Promise<number> {
  let written = 0;
  let afterId: number | null = null;
  for (;;) {
    const rows = await listAuditEvents(db, range, afterId, batchSize);
    for (const row of rows) {
      if (!output.write(`${toAuditLine(row)}\n`)) await once(output, 'drain');
      written += 1;
    }
    if (rows.length < batchSize) return written;
    afterId = rows[rows.length - 1]!.id;
  }
}
