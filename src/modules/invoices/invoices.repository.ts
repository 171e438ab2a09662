/** The SQL for invoices, their lines, adjustments and stage events. */
import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type {
  DB,
  InvoiceAdjustmentTable,
  InvoiceLineTable,
  InvoiceStageEventTable,
  InvoiceTable,
} from '../../db/schema.js';
import type { Actor } from '../../domain/policy.js';
import { visibleMatterIds } from '../matters/matter-access.js';

export const INVOICE_COLUMNS = [
  'i.id',
  'i.invoice_number',
  'i.matter_id',
  'i.client_id',
  'i.period_start',
  'i.period_end',
  'i.invoice_date',
  'i.currency',
  'i.fee_arrangement',
  'i.state',
  'i.previous_state',
  'i.approval_level',
  'i.owner_role',
  'i.owner_user_id',
  'i.stage_entered_at',
  'i.urgent',
  'i.rework_count',
  'i.needs_revaluation',
  'i.last_bill_run_at',
  'i.outcome_amount_cents',
  'i.worked_fees_cents',
  'i.fees_cents',
  'i.expenses_cents',
  'i.adjustments_cents',
  'i.total_cents',
  'i.client_adjustments_cents',
  'i.amount_due_cents',
  'i.version',
  'i.created_at',
  'i.updated_at',
] as const;

const LINE_COLUMNS = [
  'id',
  'invoice_id',
  'line_number',
  'line_type',
  'time_entry_id',
  'expense_id',
  'work_date',
  'timekeeper_id',
  'task_code',
  'activity_code',
  'expense_code',
  'description',
  'units',
  'unit_cost_cents',
  'adjustment_cents',
  'amount_cents',
  'worked_units',
  'worked_unit_cost_cents',
  'worked_amount_cents',
  'disposition',
  'new_since_last_run',
  'internal_note',
  'moved_to_matter_id',
  'purpose',
  'version',
] as const;

const ADJUSTMENT_COLUMNS = [
  'id',
  'invoice_id',
  'invoice_line_id',
  'kind',
  'field',
  'before',
  'after',
  'amount_cents',
  'reason_code',
  'note',
  'state',
  'requested_by',
  'requested_at',
] as const;

function selectInvoices(db: Kysely<DB>) {
  return db
    .selectFrom('invoice as i')
    .innerJoin('matter as m', 'm.id', 'i.matter_id')
    .innerJoin('client as c', 'c.id', 'i.client_id')
    .select([...INVOICE_COLUMNS, 'm.matter_code', 'c.client_code']);
}

export type InvoiceRow = Awaited<ReturnType<typeof findInvoiceById>> & {};
export type InvoiceLineRow = Awaited<ReturnType<typeof findLines>>[number];
export type InvoiceAdjustmentRow = Awaited<ReturnType<typeof findAdjustments>>[number];

export function findInvoiceById(db: Kysely<DB>, id: number) {
  return selectInvoices(db).where('i.id', '=', id).executeTakeFirst();
}

export function findInvoicesByIds(db: Kysely<DB>, ids: readonly number[]) {
  return selectInvoices(db)
    .where(sql<boolean>`i.id = any(${[...ids]}::bigint[])`)
    .execute();
}

/** One invoice the actor may see (restricted matters' invoices only for members), by id or number. */
export function findVisibleInvoice(
  db: Kysely<DB>,
  actor: Actor,
  key: { id?: number; number?: string },
) {
  let q = selectInvoices(db).where('i.matter_id', 'in', visibleMatterIds(db, actor, 'work'));
  if (key.id !== undefined) q = q.where('i.id', '=', key.id);
  if (key.number !== undefined) q = q.where('i.invoice_number', '=', key.number);
  return q.executeTakeFirst();
}

export interface InvoiceFilter {
  state?: string;
  client_code?: string;
  matter_code?: string;
  /** `YYYY-MM`: invoices whose period starts in that month. */
  period?: string;
  limit: number;
}

/** Where a page of invoices ends: invoices in exception come first, oldest in the stage first. */
export interface InvoiceCursor {
  /** 0 for an invoice in exception, 1 for any other. */
  rank: 0 | 1;
  /** When an invoice in exception entered it (ISO); the epoch for the others. */
  entered: string;
  id: number;
}

const EPOCH = '1970-01-01T00:00:00.000Z';
const rankOf = sql<number>`(case when i.state = 'exception' then 0 else 1 end)`;
const enteredOf = sql<Date>`(case when i.state = 'exception' then i.stage_entered_at else ${EPOCH}::timestamptz end)`;

/** The cursor that resumes a list after `row`. */
export function cursorAfter(row: {
  state: string;
  stage_entered_at: Date;
  id: number;
}): InvoiceCursor {
  return row.state === 'exception'
    ? { rank: 0, entered: row.stage_entered_at.toISOString(), id: row.id }
    : { rank: 1, entered: EPOCH, id: row.id };
}

/**
 * A page of the invoices the actor may see: those in exception first (they block the cycle),
 * the longest-waiting first, then every other invoice in id order.
 */
export function listInvoices(
  db: Kysely<DB>,
  actor: Actor,
  filter: InvoiceFilter,
  after: InvoiceCursor | null,
) {
  let q = selectInvoices(db).where('i.matter_id', 'in', visibleMatterIds(db, actor, 'work'));
  if (filter.state !== undefined) q = q.where('i.state', '=', filter.state);
  if (filter.client_code !== undefined) q = q.where('c.client_code', '=', filter.client_code);
  if (filter.matter_code !== undefined) q = q.where('m.matter_code', '=', filter.matter_code);
  if (filter.period !== undefined) q = q.where('i.period_start', '=', `${filter.period}-01`);
  if (after !== null)
    q = q.where(
      sql<boolean>`(${rankOf}, ${enteredOf}, i.id) > (${after.rank}, ${after.entered}::timestamptz, ${after.id})`,
    );
  return q
    .orderBy(rankOf)
    .orderBy(enteredOf)
    .orderBy('i.id')
    .limit(filter.limit + 1)
    .execute();
}

/** The open invoices of these matters for the period starting `periodStart`. */
export function findOpenInvoices(
  db: Kysely<DB>,
  matterIds: readonly number[],
  periodStart: string,
  openStates: readonly string[],
) {
  return selectInvoices(db)
    .where(sql<boolean>`i.matter_id = any(${[...matterIds]}::bigint[])`)
    .where('i.period_start', '=', periodStart)
    .where('i.state', 'in', [...openStates])
    .forUpdate('i')
    .execute();
}

export function findLines(db: Kysely<DB>, invoiceIds: readonly number[]) {
  return db
    .selectFrom('invoice_line')
    .select(LINE_COLUMNS)
    .where(sql<boolean>`invoice_id = any(${[...invoiceIds]}::bigint[])`)
    .orderBy('invoice_id')
    .orderBy('line_number')
    .execute();
}

export function findAdjustments(db: Kysely<DB>, invoiceId: number) {
  return db
    .selectFrom('invoice_adjustment')
    .select(ADJUSTMENT_COLUMNS)
    .where('invoice_id', '=', invoiceId)
    .orderBy('id')
    .execute();
}

export function insertInvoice(db: Kysely<DB>, values: Insertable<InvoiceTable>) {
  return db.insertInto('invoice').values(values).returning('id').executeTakeFirstOrThrow();
}

/** Inserts invoices, one statement per 500; returns each one's id with its matter. */
export async function insertInvoices(
  db: Kysely<DB>,
  rows: readonly Insertable<InvoiceTable>[],
): Promise<{ id: number; matter_id: number }[]> {
  const out: { id: number; matter_id: number }[] = [];
  for (let i = 0; i < rows.length; i += 500)
    out.push(
      ...(await db
        .insertInto('invoice')
        .values(rows.slice(i, i + 500))
        .returning(['id', 'matter_id'])
        .execute()),
    );
  return out;
}

/** Records a refresh by the bill run on open drafts, each with its revaluation flag. */
export async function markRefreshed(
  db: Kysely<DB>,
  invoices: readonly { id: number; needsRevaluation: boolean }[],
  now: Date,
): Promise<void> {
  if (invoices.length === 0) return;
  await sql`
    update invoice i set
      last_bill_run_at = ${now}, needs_revaluation = r.flag, version = i.version + 1,
      updated_at = ${now}
    from unnest(
      ${invoices.map((r) => r.id)}::bigint[], ${invoices.map((r) => r.needsRevaluation)}::boolean[]
    ) as r(id, flag)
    where i.id = r.id`.execute(db);
}

/** Inserts lines in chunks (PostgreSQL allows 65,535 parameters per statement). */
export async function insertLines(
  db: Kysely<DB>,
  lines: readonly Insertable<InvoiceLineTable>[],
): Promise<{ id: number; line_number: number; invoice_id: number }[]> {
  const out: { id: number; line_number: number; invoice_id: number }[] = [];
  for (let i = 0; i < lines.length; i += 1000) {
    const rows = await db
      .insertInto('invoice_line')
      .values(lines.slice(i, i + 1000))
      .returning(['id', 'line_number', 'invoice_id'])
      .execute();
    out.push(...rows);
  }
  return out;
}

/** A line as the bill run writes it: every column but the reviewer's. */
export type NewLine = Required<
  Pick<
    Insertable<InvoiceLineTable>,
    | 'invoice_id'
    | 'line_number'
    | 'line_type'
    | 'time_entry_id'
    | 'expense_id'
    | 'work_date'
    | 'timekeeper_id'
    | 'task_code'
    | 'activity_code'
    | 'expense_code'
    | 'description'
    | 'units'
    | 'unit_cost_cents'
    | 'adjustment_cents'
    | 'amount_cents'
    | 'worked_units'
    | 'worked_unit_cost_cents'
    | 'worked_amount_cents'
    | 'disposition'
    | 'new_since_last_run'
  >
>;

/**
 * Inserts bill-run lines as one array per column (`unnest`), 5,000 to a statement: a short
 * statement to parse and bind, where a VALUES list would carry twenty parameters per line.
 */
export async function insertNewLines(
  db: Kysely<DB>,
  lines: readonly NewLine[],
): Promise<{ id: number; line_number: number; invoice_id: number }[]> {
  const out: { id: number; line_number: number; invoice_id: number }[] = [];
  for (let i = 0; i < lines.length; i += 5000) {
    const part = lines.slice(i, i + 5000);
    const column = <T>(pick: (l: NewLine) => T) => part.map(pick);
    const { rows } = await sql<{
      id: number | string;
      line_number: number;
      invoice_id: number | string;
    }>`
      insert into invoice_line (
        invoice_id, line_number, line_type, time_entry_id, expense_id, work_date, timekeeper_id,
        task_code, activity_code, expense_code, description, units, unit_cost_cents,
        adjustment_cents, amount_cents, worked_units, worked_unit_cost_cents,
        worked_amount_cents, disposition, new_since_last_run)
      select * from unnest(
        ${column((l) => l.invoice_id)}::bigint[],
        ${column((l) => l.line_number)}::int[],
        ${column((l) => l.line_type)}::text[],
        ${column((l) => l.time_entry_id)}::bigint[],
        ${column((l) => l.expense_id)}::bigint[],
        ${column((l) => l.work_date)}::date[],
        ${column((l) => l.timekeeper_id)}::bigint[],
        ${column((l) => l.task_code)}::text[],
        ${column((l) => l.activity_code)}::text[],
        ${column((l) => l.expense_code)}::text[],
        ${column((l) => l.description)}::text[],
        ${column((l) => l.units)}::numeric[],
        ${column((l) => l.unit_cost_cents)}::bigint[],
        ${column((l) => l.adjustment_cents)}::bigint[],
        ${column((l) => l.amount_cents)}::bigint[],
        ${column((l) => l.worked_units)}::numeric[],
        ${column((l) => l.worked_unit_cost_cents)}::bigint[],
        ${column((l) => l.worked_amount_cents)}::bigint[],
        ${column((l) => l.disposition)}::text[],
        ${column((l) => l.new_since_last_run)}::boolean[])
      returning id, line_number, invoice_id`.execute(db);
    out.push(
      ...rows.map((r) => ({
        id: Number(r.id),
        line_number: r.line_number,
        invoice_id: Number(r.invoice_id),
      })),
    );
  }
  return out;
}

export async function insertAdjustments(
  db: Kysely<DB>,
  rows: readonly Insertable<InvoiceAdjustmentTable>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('invoice_adjustment')
      .values(rows.slice(i, i + 1000))
      .execute();
}

/** Inserts stage events in one statement per 1,000. */
export async function insertStageEvents(
  db: Kysely<DB>,
  rows: readonly Insertable<InvoiceStageEventTable>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('invoice_stage_event')
      .values(rows.slice(i, i + 1000))
      .execute();
}

export async function insertStageEvent(
  db: Kysely<DB>,
  row: Insertable<InvoiceStageEventTable>,
): Promise<void> {
  await db.insertInto('invoice_stage_event').values(row).execute();
}

/** Clears the "new since the last run" marks before a refresh marks its own lines. */
export async function clearNewMarks(db: Kysely<DB>, invoiceIds: readonly number[]): Promise<void> {
  if (invoiceIds.length === 0) return;
  await db
    .updateTable('invoice_line')
    .set({ new_since_last_run: false })
    .where(sql<boolean>`invoice_id = any(${[...invoiceIds]}::bigint[])`)
    .where('new_since_last_run', '=', true)
    .execute();
}

/** Recomputes an invoice's totals from its live lines, in SQL, so they always add up. */
export async function recomputeTotals(db: Kysely<DB>, invoiceId: number): Promise<void> {
  await recomputeTotalsOf(db, [invoiceId]);
}

/** `recomputeTotals` for many invoices in one statement. */
export async function recomputeTotalsOf(
  db: Kysely<DB>,
  invoiceIds: readonly number[],
): Promise<void> {
  if (invoiceIds.length === 0) return;
  const ids = [...new Set(invoiceIds)];
  await sql`
    update invoice i set
      fees_cents = coalesce(t.fees, 0), expenses_cents = coalesce(t.expenses, 0),
      adjustments_cents = coalesce(t.adjustments, 0),
      total_cents = coalesce(t.fees, 0) + coalesce(t.expenses, 0) + coalesce(t.adjustments, 0),
      worked_fees_cents = coalesce(t.worked_fees, 0)
    from unnest(${ids}::bigint[]) as target(id)
    left join (
      select
        invoice_id,
        sum(amount_cents) filter (where line_type = 'F') as fees,
        sum(amount_cents) filter (where line_type = 'E') as expenses,
        sum(amount_cents) filter (where line_type in ('IF', 'IE')) as adjustments,
        sum(worked_amount_cents) filter (where line_type = 'F' and time_entry_id is not null) as worked_fees
      from invoice_line
      where invoice_id = any(${ids}::bigint[]) and disposition in ('bill', 'no_charge')
      group by invoice_id
    ) t on t.invoice_id = target.id
    where i.id = target.id`.execute(db);
}

export type OpenInvoiceRow = Awaited<ReturnType<typeof findOpenInvoices>>[number];

const LIVE_DISPOSITIONS = ['bill', 'no_charge'] as const;

/**
 * The open blocking exceptions of these invoices: on the invoice itself or on the work its live
 * lines bill. Three index lookups joined by `union all` rather than one `or` over subqueries,
 * which PostgreSQL can only answer by scanning every exception.
 */
function openBlocksOf(invoiceIds: readonly number[]) {
  const ids = [...new Set(invoiceIds)];
  return sql<{ invoice_id: string | number; exception_id: string | number }>`
    select g.invoice_id, g.id as exception_id from guideline_exception g
    where g.invoice_id = any(${ids}::bigint[]) and g.state = 'open' and g.severity = 'block'
    union all
    select l.invoice_id, g.id from invoice_line l
    join guideline_exception g on g.time_entry_id = l.time_entry_id
    where l.invoice_id = any(${ids}::bigint[]) and l.disposition in ('bill', 'no_charge')
      and g.state = 'open' and g.severity = 'block'
    union all
    select l.invoice_id, g.id from invoice_line l
    join guideline_exception g on g.expense_id = l.expense_id
    where l.invoice_id = any(${ids}::bigint[]) and l.disposition in ('bill', 'no_charge')
      and g.state = 'open' and g.severity = 'block'`;
}

/** Open blocking exceptions on the invoice itself or on the work its live lines bill. */
export async function countOpenBlockingExceptions(
  db: Kysely<DB>,
  invoiceId: number,
): Promise<number> {
  const { rows } = await sql<{ count: number | string }>`
    select count(distinct b.exception_id) as count from (${openBlocksOf([invoiceId])}) b`.execute(
    db,
  );
  return Number(rows[0]!.count);
}

/** Adjustments (write-downs and the like) still awaiting a decision. */
export async function countPendingAdjustments(db: Kysely<DB>, invoiceId: number): Promise<number> {
  const row = await db
    .selectFrom('invoice_adjustment')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('invoice_id', '=', invoiceId)
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Live lines an e-billing portal would refuse: work fees without task or activity code, expenses without an expense code. */
export async function countUncodedLines(db: Kysely<DB>, invoiceId: number): Promise<number> {
  const row = await db
    .selectFrom('invoice_line')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('invoice_id', '=', invoiceId)
    .where('disposition', 'in', LIVE_DISPOSITIONS)
    .where((eb) =>
      eb.or([
        // A flat or contingency fee line is the agreed fee, not a timekeeper's work: no codes.
        eb.and([
          eb('line_type', '=', 'F'),
          eb('time_entry_id', 'is not', null),
          eb.or([eb('task_code', 'is', null), eb('activity_code', 'is', null)]),
        ]),
        eb.and([eb('line_type', '=', 'E'), eb('expense_code', 'is', null)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The matter's reference as the client knows it, which invoices must carry. */
export async function findClientMatterId(db: Kysely<DB>, matterId: number) {
  const row = await db
    .selectFrom('matter')
    .select('client_matter_id')
    .where('id', '=', matterId)
    .executeTakeFirstOrThrow();
  return row.client_matter_id;
}

/** The invoice's stage events in time order. */
export function findStageEvents(db: Kysely<DB>, invoiceId: number) {
  return db
    .selectFrom('invoice_stage_event')
    .select([
      'id',
      'from_state',
      'to_state',
      'approval_level',
      'owner_role',
      'owner_user_id',
      'actor_user_id',
      'occurred_at',
      'reason',
      'rework',
      'trigger',
    ])
    .where('invoice_id', '=', invoiceId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}

export interface OpenBlock {
  id: number;
  owner_role: string;
  owner_user_id: number | null;
  rule_id: string;
}

/** The oldest open blocking exception on the invoice itself or on the work its live lines bill. */
export async function findOldestOpenBlock(
  db: Kysely<DB>,
  invoiceId: number,
): Promise<OpenBlock | undefined> {
  return (await findOldestOpenBlocks(db, [invoiceId])).get(invoiceId);
}

/** For each of `invoiceIds` that has one, its oldest open blocking exception. */
export async function findOldestOpenBlocks(
  db: Kysely<DB>,
  invoiceIds: readonly number[],
): Promise<Map<number, OpenBlock>> {
  const blocks = new Map<number, OpenBlock>();
  if (invoiceIds.length === 0) return blocks;
  const { rows } = await sql<{
    invoice_id: string | number;
    id: string | number;
    owner_role: string;
    owner_user_id: string | number | null;
    rule_id: string;
  }>`
    select distinct on (b.invoice_id) b.invoice_id, g.id, g.owner_role, g.owner_user_id, g.rule_id
    from (${openBlocksOf(invoiceIds)}) b
    join guideline_exception g on g.id = b.exception_id
    order by b.invoice_id, g.opened_at, g.id`.execute(db);
  for (const row of rows)
    blocks.set(Number(row.invoice_id), {
      id: Number(row.id),
      owner_role: row.owner_role,
      owner_user_id: row.owner_user_id === null ? null : Number(row.owner_user_id),
      rule_id: row.rule_id,
    });
  return blocks;
}

/**
 * Who owned `stage` when the invoice last entered it (or was reassigned in it): the owner it
 * goes back to when it returns from a detour.
 */
export async function findOwnerOnLeaving(
  db: Kysely<DB>,
  invoiceId: number,
  stage: string,
): Promise<{ role: string | null; userId: number | null }> {
  const row = await db
    .selectFrom('invoice_stage_event')
    .select(['owner_role', 'owner_user_id'])
    .where('invoice_id', '=', invoiceId)
    .where('to_state', '=', stage)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) return { role: null, userId: null };
  return {
    role: row.owner_role,
    userId: row.owner_user_id === null ? null : Number(row.owner_user_id),
  };
}

/** The user asked the invoice's oldest open question (who owns waiting_on_timekeeper), if any. */
export async function findFirstOpenQuestionAssignee(
  db: Kysely<DB>,
  invoiceId: number,
): Promise<number | null> {
  const row = await db
    .selectFrom('invoice_question')
    .select('assignee_user_id')
    .where('invoice_id', '=', invoiceId)
    .where('state', '=', 'open')
    .orderBy('asked_at')
    .orderBy('id')
    .executeTakeFirst();
  return row ? Number(row.assignee_user_id) : null;
}
