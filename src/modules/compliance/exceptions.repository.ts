/** The only SQL for guideline exceptions: syncing them with findings, listing and waiving them. */
import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB, GuidelineExceptionTable } from '../../db/schema.js';
import type { Actor } from '../../domain/policy.js';
import { ownWorkTimekeeperId, visibleMatterIds } from '../matters/matter-access.js';

/** An open or waived exception, as syncing compares it with a fresh finding. */
export interface LiveExceptionRow {
  id: number;
  fingerprint: string;
  state: string;
  rule_kind: string;
  severity: string;
  owner_role: string;
  owner_user_id: number | null;
  message: string;
  guideline_version_id: number | null;
  correction: unknown;
  time_entry_id: number | null;
  expense_id: number | null;
}

export const LIVE_COLUMNS = [
  'id',
  'time_entry_id',
  'expense_id',
  'fingerprint',
  'state',
  'rule_kind',
  'severity',
  'owner_role',
  'owner_user_id',
  'message',
  'guideline_version_id',
  'correction',
] as const;

/** Open and waived exceptions of the given entries and expenses (each list may be empty). */
export async function findLiveExceptions(
  db: Kysely<DB>,
  entryIds: readonly number[],
  expenseIds: readonly number[],
): Promise<LiveExceptionRow[]> {
  const live = db
    .selectFrom('guideline_exception')
    .select(LIVE_COLUMNS)
    .where('state', 'in', ['open', 'waived']);
  const [entries, expenses] = await Promise.all([
    entryIds.length === 0
      ? []
      : live.where(sql<boolean>`time_entry_id = any(${[...entryIds]}::bigint[])`).execute(),
    expenseIds.length === 0
      ? []
      : live.where(sql<boolean>`expense_id = any(${[...expenseIds]}::bigint[])`).execute(),
  ]);
  return [...entries, ...expenses];
}

const INSERT_CHUNK = 1_000;

/** The columns an exception is opened with; the rest take their defaults. */
export type NewException = Pick<
  Insertable<GuidelineExceptionTable>,
  | 'fingerprint'
  | 'rule_id'
  | 'rule_kind'
  | 'guideline_version_id'
  | 'severity'
  | 'owner_role'
  | 'owner_user_id'
  | 'entity_type'
  | 'time_entry_id'
  | 'expense_id'
  | 'invoice_id'
  | 'entity_external_id'
  | 'matter_id'
  | 'message'
  | 'correction'
  | 'opened_at'
  | 'last_seen_at'
>;

/**
 * Opens exceptions. A concurrent check may have opened the same one a moment earlier; the live
 * fingerprint index keeps one, and the row that lost is simply not returned. The rows go in as
 * one array per column (`unnest`): one short statement whatever their number, instead of a
 * VALUES list PostgreSQL would parse anew for each batch size.
 */
export async function insertExceptions(
  db: Kysely<DB>,
  rows: readonly NewException[],
): Promise<{ id: number; fingerprint: string }[]> {
  const out: { id: number; fingerprint: string }[] = [];
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const part = rows.slice(start, start + INSERT_CHUNK);
    const column = <T>(pick: (r: NewException) => T | undefined) =>
      part.map((r) => pick(r) ?? null);
    const time = (value: NewException['opened_at']) =>
      value instanceof Date ? value.toISOString() : value;
    const { rows: inserted } = await sql<{ id: number | string; fingerprint: string }>`
      insert into guideline_exception (
        fingerprint, rule_id, rule_kind, guideline_version_id, severity, owner_role,
        owner_user_id, entity_type, time_entry_id, expense_id, invoice_id, entity_external_id,
        matter_id, message, correction, state, opened_at, last_seen_at)
      select
        v.fingerprint, v.rule_id, v.rule_kind, v.guideline_version_id, v.severity, v.owner_role,
        v.owner_user_id, v.entity_type, v.time_entry_id, v.expense_id, v.invoice_id,
        v.entity_external_id, v.matter_id, v.message, v.correction::jsonb, 'open', v.opened_at,
        v.last_seen_at
      from unnest(
        ${column((r) => r.fingerprint)}::text[],
        ${column((r) => r.rule_id)}::text[],
        ${column((r) => r.rule_kind)}::text[],
        ${column((r) => r.guideline_version_id)}::bigint[],
        ${column((r) => r.severity)}::text[],
        ${column((r) => r.owner_role)}::text[],
        ${column((r) => r.owner_user_id)}::bigint[],
        ${column((r) => r.entity_type)}::text[],
        ${column((r) => r.time_entry_id)}::bigint[],
        ${column((r) => r.expense_id)}::bigint[],
        ${column((r) => r.invoice_id)}::bigint[],
        ${column((r) => r.entity_external_id)}::text[],
        ${column((r) => r.matter_id)}::bigint[],
        ${column((r) => r.message)}::text[],
        ${column((r) => r.correction as string | null)}::text[],
        ${column((r) => time(r.opened_at))}::timestamptz[],
        ${column((r) => time(r.last_seen_at))}::timestamptz[]
      ) as v(fingerprint, rule_id, rule_kind, guideline_version_id, severity, owner_role,
        owner_user_id, entity_type, time_entry_id, expense_id, invoice_id, entity_external_id,
        matter_id, message, correction, opened_at, last_seen_at)
      on conflict (fingerprint) where state in ('open', 'waived') do nothing
      returning id, fingerprint`.execute(db);
    out.push(...inserted.map((r) => ({ id: Number(r.id), fingerprint: r.fingerprint })));
  }
  return out;
}

/** The values of an exception that a re-evaluation may change. */
export type RefreshedValues = Pick<
  Insertable<GuidelineExceptionTable>,
  | 'rule_kind'
  | 'severity'
  | 'owner_role'
  | 'owner_user_id'
  | 'message'
  | 'guideline_version_id'
  | 'correction'
>;

/**
 * Rewrites exceptions whose finding still holds but now reads differently (a daily total that
 * grew, a new owner), in one statement: a save that adds to a busy day changes the message of
 * every entry of that day.
 */
export async function refreshExceptions(
  db: Kysely<DB>,
  rows: readonly { id: number; values: RefreshedValues }[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  const column = <T>(pick: (v: RefreshedValues) => T) => rows.map((r) => pick(r.values) ?? null);
  await sql`
    update guideline_exception as g set
      rule_kind = v.rule_kind,
      severity = v.severity,
      owner_role = v.owner_role,
      owner_user_id = v.owner_user_id,
      message = v.message,
      guideline_version_id = v.guideline_version_id,
      correction = v.correction::jsonb,
      last_seen_at = ${now},
      updated_at = ${now},
      version = g.version + 1
    from unnest(
      ${rows.map((r) => r.id)}::bigint[],
      ${column((v) => v.rule_kind)}::text[],
      ${column((v) => v.severity)}::text[],
      ${column((v) => v.owner_role)}::text[],
      ${column((v) => v.owner_user_id)}::bigint[],
      ${column((v) => v.message)}::text[],
      ${column((v) => v.guideline_version_id)}::bigint[],
      ${column((v) => v.correction as string | null)}::text[]
    ) as v(id, rule_kind, severity, owner_role, owner_user_id, message, guideline_version_id, correction)
    where g.id = v.id`.execute(db);
}

/** Marks findings seen again without other change (no version bump: nobody's edit is stale). */
export async function touchExceptions(
  db: Kysely<DB>,
  ids: readonly number[],
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('guideline_exception')
    .set({ last_seen_at: now })
    .where(sql<boolean>`id = any(${[...ids]}::bigint[])`)
    .execute();
}

/** Resolves open exceptions whose finding no longer holds. */
export async function resolveExceptions(
  db: Kysely<DB>,
  ids: readonly number[],
  now: Date,
  resolvedBy: number | null,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('guideline_exception')
    .set({
      state: 'resolved',
      resolved_at: now,
      resolved_by: resolvedBy,
      updated_at: now,
      version: sql`version + 1`,
    })
    .where(sql<boolean>`id = any(${[...ids]}::bigint[])`)
    .where('state', '=', 'open')
    .execute();
}

/** Exceptions the actor may see: on matters visible for work, and only their own work if they only record time. */
export function selectVisibleExceptions(db: Kysely<DB>, actor: Actor) {
  let q = db
    .selectFrom('guideline_exception as ge')
    .innerJoin('matter as m', 'm.id', 'ge.matter_id')
    .leftJoin('guideline_version as gv', 'gv.id', 'ge.guideline_version_id')
    .select([
      'ge.id',
      'ge.rule_id',
      'ge.rule_kind',
      'ge.severity',
      'ge.owner_role',
      'ge.owner_user_id',
      'ge.entity_type',
      'ge.entity_external_id',
      'ge.time_entry_id',
      'ge.expense_id',
      'ge.invoice_id',
      'ge.matter_id',
      'm.matter_code',
      'ge.message',
      'ge.correction',
      'ge.guideline_version_id',
      'gv.guideline_key',
      'gv.version as guideline_version',
      'ge.state',
      'ge.opened_at',
      'ge.last_seen_at',
      'ge.resolved_at',
      'ge.resolved_by',
      'ge.waived_at',
      'ge.waived_by',
      'ge.waive_reason',
      'ge.version',
    ])
    .where('ge.matter_id', 'in', visibleMatterIds(db, actor, 'work'));
  const own = ownWorkTimekeeperId(actor);
  if (own !== null) {
    q = q.where((eb) =>
      eb.or([
        eb(
          'ge.time_entry_id',
          'in',
          eb.selectFrom('time_entry').select('id').where('timekeeper_id', '=', own),
        ),
        eb(
          'ge.expense_id',
          'in',
          eb.selectFrom('expense').select('id').where('timekeeper_id', '=', own),
        ),
      ]),
    );
  }
  return q;
}

export type ExceptionRow = NonNullable<Awaited<ReturnType<typeof findVisibleException>>>;

export function findVisibleException(db: Kysely<DB>, actor: Actor, id: number) {
  return selectVisibleExceptions(db, actor).where('ge.id', '=', id).executeTakeFirst();
}

export interface ExceptionFilter {
  ownerUserId?: number;
  ruleId?: string;
  matterCode?: string;
  state?: string;
  severity?: string;
}

/** One page of visible exceptions in id order, plus one row to tell whether more follow. */
export function listVisibleExceptions(
  db: Kysely<DB>,
  actor: Actor,
  filter: ExceptionFilter,
  limit: number,
  afterId: number | null,
) {
  let q = selectVisibleExceptions(db, actor)
    .orderBy('ge.id')
    .limit(limit + 1);
  if (afterId !== null) q = q.where('ge.id', '>', afterId);
  if (filter.ownerUserId !== undefined) q = q.where('ge.owner_user_id', '=', filter.ownerUserId);
  if (filter.ruleId !== undefined) q = q.where('ge.rule_id', '=', filter.ruleId);
  if (filter.matterCode !== undefined) q = q.where('m.matter_code', '=', filter.matterCode);
  if (filter.state !== undefined) q = q.where('ge.state', '=', filter.state);
  if (filter.severity !== undefined) q = q.where('ge.severity', '=', filter.severity);
  return q.execute();
}

/** Waives an open exception if `version` is still current; false when it changed meanwhile. */
export async function waiveException(
  db: Kysely<DB>,
  id: number,
  version: number,
  waivedBy: number | null,
  reason: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('guideline_exception')
    .set({
      state: 'waived',
      waived_at: now,
      waived_by: waivedBy,
      waive_reason: reason,
      updated_at: now,
      version: sql`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** True when some open exception remains on the client's matters (it may need resolving). */
export async function hasOpenExceptions(db: Kysely<DB>, clientId: number): Promise<boolean> {
  const row = await db
    .selectFrom('guideline_exception as ge')
    .select('ge.id')
    .where('ge.state', '=', 'open')
    .where('ge.matter_id', 'in', (eb) =>
      eb.selectFrom('matter').select('id').where('client_id', '=', clientId),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
