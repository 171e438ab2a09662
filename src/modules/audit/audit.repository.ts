import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Actor } from '../../domain/policy.js';
import type { DB } from '../../db/schema.js';
import { visibleMatterIds } from '../matters/matter-access.js';

/** One change to record. `before`/`after` are the entity's values around the change. */
export interface AuditEventInput {
  action: string;
  entityType: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/**
 * Exactly what an event's hash covers: every column but `id` and `hash`. `before`/`after` are
 * JSON values as the database stores them, so a stored row rebuilds the same record.
 */
export interface AuditRecord {
  occurred_at: string;
  actor_user_id: number | null;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  prev_hash: string | null;
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
 * The value as it comes back from a jsonb column: Dates become ISO strings, NaN becomes null,
 * undefined properties vanish. Hashing this form (not the caller's objects) is what lets verify
 * recompute the hash from the stored row. For plain data and Dates it hashes exactly as before.
 */
export function toStoredJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

/** The SHA-256 of one event: the one definition shared by append and verify. */
export function hashAuditRecord(record: AuditRecord): string {
  const canonical: AuditRecord = {
    ...record,
    before: toStoredJson(record.before),
    after: toStoredJson(record.after),
  };
  return createHash('sha256').update(canonicalJson(canonical)).digest('hex');
}

/**
 * The last event this process appended: usually still the chain's head at the next append,
 * which then links to it without reading the head first (see `appendAuditEvent`).
 */
let lastAppended: { id: number; hash: string } | null = null;

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
  await appendAuditEvents(trx, [{ actor, event, occurredAt }]);
}

/** One event of a batch appended together. */
export interface AuditAppend {
  actor: Actor;
  event: AuditEventInput;
  occurredAt: Date;
}

function auditRecord(
  { actor, event, occurredAt }: AuditAppend,
  prevHash: string | null,
): AuditRecord {
  return {
    occurred_at: occurredAt.toISOString(),
    actor_user_id: actor.via === 'system' ? null : Number(actor.userId),
    actor: actor.email,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId === null ? null : String(event.entityId),
    before: toStoredJson(event.before),
    after: toStoredJson(event.after),
    reason: event.reason ?? null,
    prev_hash: prevHash,
  };
}

/** The events chained one after the other behind `head`, with their hashes. */
function chain(events: readonly AuditAppend[], head: string | null) {
  const rows: (AuditRecord & { hash: string })[] = [];
  let prev = head;
  for (const event of events) {
    const record = auditRecord(event, prev);
    prev = hashAuditRecord(record);
    rows.push({ ...record, hash: prev });
  }
  return rows;
}

/** The rows as arrays by column, for one `unnest` insert whatever the batch's size. */
function columns(rows: readonly (AuditRecord & { hash: string })[]) {
  return {
    occurredAt: rows.map((r) => r.occurred_at),
    actorUserId: rows.map((r) => r.actor_user_id),
    actor: rows.map((r) => r.actor),
    action: rows.map((r) => r.action),
    entityType: rows.map((r) => r.entity_type),
    entityId: rows.map((r) => r.entity_id),
    before: rows.map((r) => jsonOrNull(r.before)),
    after: rows.map((r) => jsonOrNull(r.after)),
    reason: rows.map((r) => r.reason),
    prevHash: rows.map((r) => r.prev_hash),
    hash: rows.map((r) => r.hash),
  };
}

/**
 * Appends events in order inside the caller's transaction, as consecutive links of the chain:
 * one lock and one insert for the whole batch. Under the lock a statement sees every committed
 * append. Linking to the head this process last wrote inserts only if that is still the head
 * (same id and hash), so a miss (another process appended, or the remembered append rolled
 * back) falls back to reading the head: one round trip fewer while the lock is held, and the
 * same chain either way.
 */
export async function appendAuditEvents(
  trx: Kysely<DB>,
  events: readonly AuditAppend[],
): Promise<void> {
  if (events.length === 0) return;
  await sql`select pg_advisory_xact_lock(7261001)`.execute(trx);
  const known = lastAppended;
  if (known !== null) {
    const rows = chain(events, known.hash);
    const inserted = await insertChained(trx, rows, known);
    if (inserted !== null) {
      lastAppended = { id: inserted, hash: rows.at(-1)!.hash };
      return;
    }
  }
  const last = await trx
    .selectFrom('audit_event')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const rows = chain(events, last?.hash ?? null);
  const inserted = await insertChained(trx, rows, null);
  lastAppended = { id: inserted!, hash: rows.at(-1)!.hash };
}

/**
 * Inserts the chained rows in order and returns the last id; with `expectedHead`, only when
 * that is still the chain's head (null otherwise, and nothing is written).
 */
async function insertChained(
  trx: Kysely<DB>,
  rows: readonly (AuditRecord & { hash: string })[],
  expectedHead: { id: number; hash: string } | null,
): Promise<number | null> {
  const c = columns(rows);
  const guard =
    expectedHead === null
      ? sql`true`
      : sql`exists (
          select 1 from (select id, hash from audit_event order by id desc limit 1) head
          where head.id = ${expectedHead.id} and head.hash = ${expectedHead.hash})`;
  // `with ordinality` keeps the batch's order, so ids follow the chain.
  const result = await sql<{ id: number }>`
    insert into audit_event
      (occurred_at, actor_user_id, actor, action, entity_type, entity_id, before, after, reason, prev_hash, hash)
    select e.occurred_at, e.actor_user_id, e.actor, e.action, e.entity_type, e.entity_id,
      e.before::jsonb, e.after::jsonb, e.reason, e.prev_hash, e.hash
    from unnest(
      ${c.occurredAt}::timestamptz[], ${c.actorUserId}::bigint[], ${c.actor}::text[],
      ${c.action}::text[], ${c.entityType}::text[], ${c.entityId}::text[], ${c.before}::text[],
      ${c.after}::text[], ${c.reason}::text[], ${c.prevHash}::text[], ${c.hash}::text[]
    ) with ordinality as e(occurred_at, actor_user_id, actor, action, entity_type, entity_id,
      before, after, reason, prev_hash, hash, n)
    where ${guard}
    order by e.n
    returning id`.execute(trx);
  if (result.rows.length === 0) return null;
  return Math.max(...result.rows.map((row) => Number(row.id)));
}

function jsonOrNull(value: unknown): string | null {
  return value === null ? null : JSON.stringify(value);
}

export const AUDIT_EVENT_COLUMNS = [
  'id',
  'occurred_at',
  'actor',
  'actor_user_id',
  'action',
  'entity_type',
  'entity_id',
  'before',
  'after',
  'reason',
  'prev_hash',
  'hash',
] as const;

/** A stored audit event as read back. */
export type AuditEventRow = Awaited<ReturnType<typeof listAuditEvents>>[number];

/** Filters of an audit-event listing; `from`/`to` are inclusive UTC calendar dates. */
export interface AuditEventFilter {
  entityType?: string;
  entityId?: string;
  action?: string;
  from?: string;
  to?: string;
}

/** Start of the UTC day after `date` (YYYY-MM-DD), the exclusive end of an inclusive range. */
function dayAfter(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000);
}

/**
 * Up to `limit` events after `afterId` in id (chain) order, narrowed by `filter`. With
 * `wallsFor`, events about a walled matter that actor may not see (the matter, its set-up, its
 * time entries, expenses, invoices and exceptions) are left out in SQL, so pages and counts
 * never reveal them.
 */
export function listAuditEvents(
  db: Kysely<DB>,
  filter: AuditEventFilter,
  afterId: number | null,
  limit: number,
  wallsFor: Actor | null = null,
) {
  let q = db.selectFrom('audit_event').select(AUDIT_EVENT_COLUMNS).orderBy('id').limit(limit);
  if (wallsFor !== null) {
    const hidden = db
      .selectFrom('matter as hm')
      .select('hm.id')
      .where('hm.restricted', '=', true)
      .where('hm.id', 'not in', visibleMatterIds(db, wallsFor, 'work'));
    const idsOf = (table: 'time_entry' | 'expense' | 'invoice' | 'guideline_exception') =>
      db
        .selectFrom(table)
        .select(sql<string>`id::text`.as('id'))
        .where('matter_id', 'in', hidden);
    q = q.where((eb) =>
      eb.not(
        eb.or([
          eb.and([
            eb('entity_type', '=', 'matter'),
            eb(
              'entity_id',
              'in',
              db.selectFrom(hidden.as('h')).select(sql<string>`h.id::text`.as('id')),
            ),
          ]),
          eb.and([
            eb('entity_type', '=', 'matter_timekeeper'),
            eb(
              sql<string>`split_part(entity_id, ':', 1)`,
              'in',
              db.selectFrom(hidden.as('h')).select(sql<string>`h.id::text`.as('id')),
            ),
          ]),
          eb.and([
            eb('entity_type', '=', 'time_entry'),
            eb('entity_id', 'in', idsOf('time_entry')),
          ]),
          eb.and([eb('entity_type', '=', 'expense'), eb('entity_id', 'in', idsOf('expense'))]),
          eb.and([eb('entity_type', '=', 'invoice'), eb('entity_id', 'in', idsOf('invoice'))]),
          eb.and([
            eb('entity_type', '=', 'guideline_exception'),
            eb('entity_id', 'in', idsOf('guideline_exception')),
          ]),
        ]),
      ),
    );
  }
  if (afterId !== null) q = q.where('id', '>', afterId);
  if (filter.entityType !== undefined) q = q.where('entity_type', '=', filter.entityType);
  if (filter.entityId !== undefined) q = q.where('entity_id', '=', filter.entityId);
  if (filter.action !== undefined) q = q.where('action', '=', filter.action);
  if (filter.from !== undefined)
    q = q.where('occurred_at', '>=', new Date(`${filter.from}T00:00:00Z`));
  if (filter.to !== undefined) q = q.where('occurred_at', '<', dayAfter(filter.to));
  return q.execute();
}
