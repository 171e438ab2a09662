import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Actor } from '../../domain/policy.js';
import type { DB } from '../../db/schema.js';

/** One change to record. `before`/`after` are the entity's values around the change. */
export interface AuditEventInput {
  action: string;
  entityType: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Canonical JSON: object keys sorted at every level, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Appends an audit event inside the caller's transaction, chained to the previous event by
 * SHA-256. A transaction-scoped advisory lock orders appends so the chain never forks.
 */
export async function appendAuditEvent(
  trx: Kysely<DB>,
  actor: Actor,
  event: AuditEventInput,
  occurredAt: Date,
): Promise<void> {
  await sql`select pg_advisory_xact_lock(7261001)`.execute(trx);
  const last = await trx
    .selectFrom('audit_event')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prevHash = last?.hash ?? null;
  const record = {
    occurred_at: occurredAt.toISOString(),
    actor_user_id: actor.via === 'system' ? null : Number(actor.userId),
    actor: actor.email,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId === null ? null : String(event.entityId),
    before: event.before ?? null,
    after: event.after ?? null,
    reason: event.reason ?? null,
    prev_hash: prevHash,
  };
  const hash = createHash('sha256').update(canonicalJson(record)).digest('hex');
  await trx
    .insertInto('audit_event')
    .values({
      ...record,
      before: record.before === null ? null : JSON.stringify(record.before),
      after: record.after === null ? null : JSON.stringify(record.after),
      hash,
    })
    .execute();
}
