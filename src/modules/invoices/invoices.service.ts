/** Reading invoices: lists and one invoice with its lines and adjustments, behind the matter walls. */
import type { AppContext } from '../../config/context.js';
import { notFound, validationError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import * as repo from './invoices.repository.js';
import { listAuditEvents } from '../audit/audit.repository.js';
import type {
  InvoiceDetailDto,
  InvoiceDto,
  InvoiceHistoryDto,
  InvoiceListQuery,
  OutcomeBody,
  ReassignBody,
  TransitionBody,
} from './invoices.schemas.js';
import { reassignInvoice } from './reassign-invoice.js';
import { recordOutcome } from './record-outcome.js';
import { revalueInvoice } from './revalue-invoice.js';
import { transitionInvoice } from './transition-invoice.js';

type Row = NonNullable<Awaited<ReturnType<typeof repo.findVisibleInvoice>>>;

// bigint columns arrive as numbers or strings depending on the driver; the API speaks numbers.
const num = (value: number | string) => Number(value);
const numOrNull = (value: number | string | null) => (value === null ? null : Number(value));

const DAY_MS = 86_400_000;

function toDto(row: Row, now: Date): InvoiceDto {
  return {
    id: num(row.id),
    invoice_number: row.invoice_number,
    client_code: row.client_code,
    matter_code: row.matter_code,
    period_start: row.period_start,
    period_end: row.period_end,
    invoice_date: row.invoice_date,
    currency: row.currency,
    fee_arrangement: row.fee_arrangement,
    state: row.state,
    previous_state: row.previous_state,
    approval_level: row.approval_level,
    owner_role: row.owner_role,
    owner_user_id: numOrNull(row.owner_user_id),
    stage_entered_at: row.stage_entered_at,
    // Whole days in the current stage: how long an exception has been blocking the cycle.
    days_in_stage: Math.max(
      0,
      Math.floor((now.getTime() - row.stage_entered_at.getTime()) / DAY_MS),
    ),
    urgent: row.urgent,
    rework_count: row.rework_count,
    needs_revaluation: row.needs_revaluation,
    last_bill_run_at: row.last_bill_run_at,
    outcome_amount_cents: numOrNull(row.outcome_amount_cents),
    worked_fees_cents: num(row.worked_fees_cents),
    fees_cents: num(row.fees_cents),
    expenses_cents: num(row.expenses_cents),
    adjustments_cents: num(row.adjustments_cents),
    total_cents: num(row.total_cents),
    client_adjustments_cents: num(row.client_adjustments_cents),
    amount_due_cents: num(row.amount_due_cents),
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** A page of the invoices the actor may see; walled matters' invoices only for their members. */
export async function listInvoices(ctx: AppContext, actor: Actor, query: InvoiceListQuery) {
  const rows = await repo.listInvoices(ctx.db, actor, query, decodeInvoiceCursor(query.cursor));
  const now = ctx.now();
  const more = rows.length > query.limit;
  const items = rows.slice(0, query.limit).map((r) => toDto({ ...r, id: num(r.id) }, now));
  const last = items[items.length - 1];
  return {
    items,
    next_cursor:
      more && last !== undefined
        ? Buffer.from(JSON.stringify(repo.cursorAfter(last))).toString('base64url')
        : null,
  };
}

function decodeInvoiceCursor(cursor: string | undefined): repo.InvoiceCursor | null {
  if (cursor === undefined) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const { rank, entered, id } = parsed;
    if (
      (rank === 0 || rank === 1) &&
      typeof entered === 'string' &&
      !Number.isNaN(Date.parse(entered)) &&
      typeof id === 'number' &&
      Number.isSafeInteger(id)
    )
      return { rank, entered, id };
  } catch {
    // fall through to the error below
  }
  throw validationError('INVALID_CURSOR', 'The cursor is not valid; start again without it.', [
    { field: 'query.cursor', message: 'is not a cursor this API issued' },
  ]);
}

/** One invoice with its lines and adjustments, by id or number; 404 when hidden or missing. */
export async function getInvoice(
  ctx: AppContext,
  actor: Actor,
  key: { id?: number; number?: string },
): Promise<InvoiceDetailDto> {
  const row = await repo.findVisibleInvoice(ctx.db, actor, key);
  if (!row) throw notFound('INVOICE_NOT_FOUND', `No invoice ${key.number ?? key.id}.`);
  const [lines, adjustments] = await Promise.all([
    repo.findLines(ctx.db, [row.id]),
    repo.findAdjustments(ctx.db, row.id),
  ]);
  return {
    ...toDto(row, ctx.now()),
    // Every internal role may read line notes for now; client-facing views will drop them.
    lines: lines.map((l) => ({
      ...l,
      id: num(l.id),
      time_entry_id: numOrNull(l.time_entry_id),
      expense_id: numOrNull(l.expense_id),
      timekeeper_id: numOrNull(l.timekeeper_id),
      unit_cost_cents: num(l.unit_cost_cents),
      adjustment_cents: num(l.adjustment_cents),
      amount_cents: num(l.amount_cents),
      worked_unit_cost_cents: numOrNull(l.worked_unit_cost_cents),
      worked_amount_cents: numOrNull(l.worked_amount_cents),
      moved_to_matter_id: numOrNull(l.moved_to_matter_id),
    })),
    adjustments: adjustments.map((a) => ({
      id: num(a.id),
      invoice_line_id: numOrNull(a.invoice_line_id),
      kind: a.kind,
      field: a.field,
      before: a.before,
      after: a.after,
      amount_cents: num(a.amount_cents),
      reason_code: a.reason_code,
      note: a.note,
      state: a.state,
      requested_by: numOrNull(a.requested_by),
      requested_at: a.requested_at,
    })),
  };
}

/** Revalues a flagged draft and returns it as it now stands. */
export async function revalue(ctx: AppContext, actor: Actor, id: number, version: number) {
  await revalueInvoice(ctx, actor, id, version);
  return getInvoice(ctx, actor, { id });
}

/** Moves an invoice to another stage and returns it as it now stands. */
export async function transition(ctx: AppContext, actor: Actor, id: number, body: TransitionBody) {
  await transitionInvoice(ctx, actor, id, {
    to: body.to,
    version: body.version,
    ...(body.reason === undefined ? {} : { reason: body.reason }),
    ...(body.invoice_date === undefined ? {} : { invoiceDate: body.invoice_date }),
  });
  return getInvoice(ctx, actor, { id });
}

/** Hands the invoice's current stage to another owner and returns it as it now stands. */
export async function reassign(ctx: AppContext, actor: Actor, id: number, body: ReassignBody) {
  await reassignInvoice(ctx, actor, id, {
    userId: body.user_id,
    reason: body.reason,
    version: body.version,
  });
  return getInvoice(ctx, actor, { id });
}

/** Records a contingency draft's outcome and returns it as it now stands. */
export async function outcome(ctx: AppContext, actor: Actor, id: number, body: OutcomeBody) {
  await recordOutcome(ctx, actor, id, {
    outcomeAmountCents: body.outcome_amount_cents,
    version: body.version,
  });
  return getInvoice(ctx, actor, { id });
}

/** The invoice's audit events and stage events, each in time order; 404 when hidden or missing. */
export async function getHistory(
  ctx: AppContext,
  actor: Actor,
  id: number,
): Promise<InvoiceHistoryDto> {
  const row = await repo.findVisibleInvoice(ctx.db, actor, { id });
  if (!row) throw notFound('INVOICE_NOT_FOUND', `No invoice ${id}.`);
  // An invoice's trail is short; one generous page holds it.
  const [audit, stages] = await Promise.all([
    listAuditEvents(ctx.db, { entityType: 'invoice', entityId: String(id) }, null, 1000),
    repo.findStageEvents(ctx.db, id),
  ]);
  return {
    audit_events: audit.map((e) => ({
      id: num(e.id),
      occurred_at: e.occurred_at,
      actor: e.actor,
      action: e.action,
      before: e.before,
      after: e.after,
      reason: e.reason,
    })),
    stage_events: stages.map((e) => ({
      ...e,
      id: num(e.id),
      owner_user_id: numOrNull(e.owner_user_id),
      actor_user_id: numOrNull(e.actor_user_id),
    })),
  };
}
