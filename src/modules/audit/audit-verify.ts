import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { hashAuditRecord, listAuditEvents } from './audit.repository.js';
import type { AuditEventRow } from './audit.repository.js';

/**
 * Why a link is broken. Missing ids are not a reason: identity columns skip values after a
 * rolled-back insert, so a deleted row is found by the next row's prev_hash instead.
 */
export type BrokenLinkReason = 'hash_mismatch' | 'prev_hash_mismatch';

/** The outcome of checking the whole chain. */
export type AuditChainResult =
  | { ok: true; events: number; lastHash: string | null }
  | {
      ok: false;
      /** Events checked, the broken one included. */
      events: number;
      brokenAt: {
        id: number;
        reason: BrokenLinkReason;
        expected: string | null;
        actual: string | null;
      };
    };

/** Rebuilds the hash of a stored event from its columns, exactly as it was hashed on append. */
export function recomputeHash(row: AuditEventRow): string {
  return hashAuditRecord({
    occurred_at: row.occurred_at.toISOString(),
    actor_user_id: row.actor_user_id,
    actor: row.actor,
    action: row.action,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    before: row.before,
    after: row.after,
    reason: row.reason,
    prev_hash: row.prev_hash,
  });
}

/**
 * Walks the audit trail in id order, a page at a time, and stops at the first event whose
 * contents do not match its hash or whose prev_hash is not the hash of the event before it.
 */
export async function verifyAuditChain(
  db: Kysely<DB>,
  { batchSize = 5000 }: { batchSize?: number } = {},
): Promise<AuditChainResult> {
  let events = 0;
  let previousHash: string | null = null;
  let afterId: number | null = null;
  for (;;) {
    const rows = await listAuditEvents(db, {}, afterId, batchSize);
    for (const row of rows) {
      events += 1;
      // The row's own hash first: an edited row is reported as itself, not as its successor.
      const recomputed = recomputeHash(row);
      if (recomputed !== row.hash) {
        return broken(events, row.id, 'hash_mismatch', recomputed, row.hash);
      }
      if (row.prev_hash !== previousHash) {
        return broken(events, row.id, 'prev_hash_mismatch', previousHash, row.prev_hash);
      }
      previousHash = row.hash;
    }
    if (rows.length < batchSize) return { ok: true, events, lastHash: previousHash };
    afterId = rows[rows.length - 1]!.id;
  }
}

function broken(
  events: number,
  id: number,
  reason: BrokenLinkReason,
  expected: string | null,
  actual: string | null,
): AuditChainResult {
  return { ok: false, events, brokenAt: { id, reason, expected, actual } };
}

/** The wire form of a verify result (API and `audit verify --json`), in snake_case. */
export function toVerifyReport(result: AuditChainResult) {
  return result.ok
    ? { ok: true as const, events: result.events, last_hash: result.lastHash, broken_at: null }
    : { ok: false as const, events: result.events, last_hash: null, broken_at: result.brokenAt };
}
