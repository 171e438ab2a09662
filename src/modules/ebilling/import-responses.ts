/**
 * Portal answers, imported from a CSV file (`invoice_number,status,reason_code,reason_text,
 * amount_approved,response_date`). Every row is checked first and every problem reported with
 * its row and column; then all rows are applied in one transaction, in file order, or none:
 *
 * - accepted: a submitted invoice moves to accepted;
 * - rejected: submitted → rejected → back in review, each reason an open blocking exception owned
 *   by the matter's billing coordinator;
 * - reduced: accepted at the lower amount, the difference recorded as a client reduction;
 * - paid: to paid (through accepted when still submitted);
 * - appealed: recorded only.
 *
 * Every answer is kept (`ebilling_response`) for the rejection report. A row already stored
 * (same invoice, status, reason, amount and date) is reported unchanged, so a file imported twice
 * changes nothing the second time.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { updateVersioned } from '../../db/versioned.js';
import { isIsoDate } from '../../domain/dates.js';
import { AppError, validationError, type FieldIssue } from '../../domain/errors.js';
import { formatMoney, parseMoney } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import type { InvoiceState } from '../../domain/workflow/index.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { insertAdjustments } from '../invoices/invoices.repository.js';
import { transitionInTransaction } from '../invoices/transition-invoice.js';
import { visibleMatterIds } from '../matters/matter-access.js';
import * as repo from './ebilling.repository.js';

export const RESPONSE_COLUMNS = [
  'invoice_number',
  'status',
  'reason_code',
  'reason_text',
  'amount_approved',
  'response_date',
] as const;
export const RESPONSE_STATUSES = ['accepted', 'rejected', 'reduced', 'appealed', 'paid'] as const;
type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

interface ResponseRow {
  row: number;
  invoiceId: number;
  invoiceNumber: string;
  matterId: number;
  coordinatorId: number | null;
  totalCents: number;
  status: ResponseStatus;
  reasonCode: string | null;
  reasonText: string | null;
  amountApproved: number | null;
  responseDate: string;
}

export interface ResponseImportResult {
  rows: number;
  applied: number;
  unchanged: number;
  responses: {
    row: number;
    invoice_number: string;
    status: ResponseStatus;
    outcome: 'applied' | 'unchanged';
    state: string;
  }[];
}

const invalid = (issues: FieldIssue[]) =>
  validationError(
    'EBILLING_RESPONSES_INVALID',
    `The responses file has ${issues.length} problem(s); nothing was imported.`,
    issues,
  );

/** Imports a portal-responses CSV for `actor`: all rows or none. */
export async function importResponses(
  ctx: AppContext,
  actor: Actor,
  text: string,
): Promise<ResponseImportResult> {
  const rows = await readRows(ctx.db, actor, text);
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const stored = await repo.findResponses(trx, [...new Set(rows.map((r) => r.invoiceId))]);
    const seen = new Set(
      stored.map((s) =>
        keyOf(
          Number(s.invoice_id),
          s.status,
          s.reason_code,
          s.reason_text,
          s.amount_approved_cents === null ? null : Number(s.amount_approved_cents),
          s.response_date,
        ),
      ),
    );
    const result: ResponseImportResult = {
      rows: rows.length,
      applied: 0,
      unchanged: 0,
      responses: [],
    };
    // A portal gives several reasons for one rejection as several rows of the same day: the
    // first moves the invoice back to review, the others add their reasons to it.
    const rejectedOn = new Set(
      stored
        .filter((s) => s.status === 'rejected')
        .map((s) => `${Number(s.invoice_id)}|${s.response_date}`),
    );
    for (const r of rows) {
      const key = keyOf(
        r.invoiceId,
        r.status,
        r.reasonCode,
        r.reasonText,
        r.amountApproved,
        r.responseDate,
      );
      if (seen.has(key)) {
        const state = (await repo.findLedesInvoice(trx, r.invoiceId))!.state;
        result.unchanged++;
        result.responses.push({
          row: r.row,
          invoice_number: r.invoiceNumber,
          status: r.status,
          outcome: 'unchanged',
          state,
        });
        continue;
      }
      seen.add(key);
      const sameRejection =
        r.status === 'rejected' && rejectedOn.has(`${r.invoiceId}|${r.responseDate}`);
      const state = await applyResponse(ctx, trx, actor, r, now, sameRejection);
      if (r.status === 'rejected') rejectedOn.add(`${r.invoiceId}|${r.responseDate}`);
      result.applied++;
      result.responses.push({
        row: r.row,
        invoice_number: r.invoiceNumber,
        status: r.status,
        outcome: 'applied',
        state,
      });
    }
    return result;
  });
}

function keyOf(
  invoiceId: number,
  status: string,
  reasonCode: string | null,
  reasonText: string | null,
  amount: number | null,
  date: string,
): string {
  return JSON.stringify([invoiceId, status, reasonCode ?? '', reasonText ?? '', amount, date]);
}

/** Parses and checks every row; throws with every problem by row and column. */
async function readRows(db: Kysely<DB>, actor: Actor, text: string): Promise<ResponseRow[]> {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const row = (error as CsvError & { lines?: number }).lines;
    throw invalid([
      { field: 'file', message: error.message, ...(row === undefined ? {} : { row }) },
    ]);
  }
  const header = records[0] ?? [];
  const issues: FieldIssue[] = [];
  const missing = RESPONSE_COLUMNS.filter((c) => !header.includes(c));
  const extra = header.filter((c) => !(RESPONSE_COLUMNS as readonly string[]).includes(c));
  if (missing.length > 0 || extra.length > 0)
    throw invalid([
      {
        row: 1,
        field: 'header',
        message: `${missing.length > 0 ? `missing column(s) ${missing.join(', ')}` : ''}${missing.length > 0 && extra.length > 0 ? '; ' : ''}${extra.length > 0 ? `unknown column(s) ${extra.join(', ')}` : ''}. Expected: ${RESPONSE_COLUMNS.join(',')}.`,
      },
    ]);
  const data = records.slice(1);
  if (data.length === 0)
    throw invalid([{ row: 2, field: 'file', message: 'no responses after the header' }]);
  const numbers = [...new Set(data.map((r) => r[header.indexOf('invoice_number')] ?? ''))];
  const invoices = await repo.findVisibleInvoicesByNumber(
    db,
    visibleMatterIds(db, actor, 'work'),
    numbers,
  );
  const byNumber = new Map(invoices.map((i) => [i.invoice_number, i]));

  const out: ResponseRow[] = [];
  data.forEach((values, index) => {
    const row = index + 2;
    const cell = (column: (typeof RESPONSE_COLUMNS)[number]) =>
      values[header.indexOf(column)] ?? '';
    const fail = (field: string, message: string) => issues.push({ row, field, message });
    if (values.length !== header.length)
      fail('row', `has ${values.length} values; the header has ${header.length} columns`);
    const number = cell('invoice_number');
    const invoice = byNumber.get(number);
    // A hidden invoice is reported exactly as a missing one: walls are not to be probed.
    if (number === '') fail('invoice_number', 'is required');
    else if (invoice === undefined) fail('invoice_number', `no invoice ${number}`);
    const status = cell('status').toLowerCase();
    if (!(RESPONSE_STATUSES as readonly string[]).includes(status))
      fail('status', `must be one of ${RESPONSE_STATUSES.join(', ')} (got "${cell('status')}")`);
    const reasonCode = cell('reason_code');
    if (reasonCode === '' && (status === 'rejected' || status === 'reduced'))
      fail('reason_code', `is required for a ${status} invoice`);
    const reasonText = cell('reason_text');
    if (reasonText.length > 2000) fail('reason_text', 'is longer than 2000 characters');
    const amountText = cell('amount_approved');
    let amount: number | null = null;
    if (amountText !== '') {
      amount = parseMoney(amountText);
      if (amount === null || amount < 0) {
        fail('amount_approved', `"${amountText}" is not an amount such as 1234.50`);
        amount = null;
      } else if (status === 'reduced' && invoice && amount >= Number(invoice.total_cents))
        fail(
          'amount_approved',
          `${amountText} is not below the invoice total ${formatMoney(Number(invoice.total_cents))}; a reduction approves less`,
        );
    } else if (status === 'reduced') fail('amount_approved', 'is required for a reduced invoice');
    const date = cell('response_date');
    if (!isIsoDate(date)) fail('response_date', `"${date}" is not a date as YYYY-MM-DD`);
    if (invoice !== undefined && (RESPONSE_STATUSES as readonly string[]).includes(status))
      out.push({
        row,
        invoiceId: Number(invoice.id),
        invoiceNumber: invoice.invoice_number,
        matterId: Number(invoice.matter_id),
        coordinatorId:
          invoice.billing_coordinator_id === null ? null : Number(invoice.billing_coordinator_id),
        totalCents: Number(invoice.total_cents),
        status: status as ResponseStatus,
        reasonCode: reasonCode === '' ? null : reasonCode,
        reasonText: reasonText === '' ? null : reasonText,
        amountApproved: amount,
        responseDate: date,
      });
  });
  if (issues.length > 0) throw invalid(issues);
  return out;
}

/** The moves each answer makes from each state; an answer that fits no state is refused. */
const MOVES: Record<ResponseStatus, Partial<Record<InvoiceState, InvoiceState[]>>> = {
  accepted: { submitted: ['accepted'], accepted: [] },
  rejected: { submitted: ['rejected', 'in_review'] },
  reduced: { submitted: ['accepted'], accepted: [] },
  paid: { submitted: ['accepted', 'paid'], accepted: ['paid'] },
  appealed: {},
};

async function applyResponse(
  ctx: AppContext,
  trx: Kysely<DB>,
  actor: Actor,
  r: ResponseRow,
  now: Date,
  /** Another reason for a rejection already applied: the invoice is back in review. */
  sameRejection: boolean,
): Promise<string> {
  const current = (await repo.findLedesInvoice(trx, r.invoiceId))!;
  const from = current.state as InvoiceState;
  const moves =
    r.status === 'appealed' || (sameRejection && from === 'in_review') ? [] : MOVES[r.status][from];
  if (moves === undefined)
    throw invalid([
      {
        row: r.row,
        field: 'status',
        message: `invoice ${r.invoiceNumber} is ${from}; a ${r.status} answer applies to a ${Object.keys(MOVES[r.status]).join(' or ')} invoice`,
      },
    ]);
  const reason = [r.reasonCode, r.reasonText].filter((v) => v !== null).join(': ') || undefined;
  let state: string = from;
  for (const to of moves) {
    const { version } = (await repo.findLedesInvoice(trx, r.invoiceId))!;
    try {
      await transitionInTransaction(ctx, trx, actor, r.invoiceId, { to, version, reason }, now);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw invalid([{ row: r.row, field: 'status', message: `${error.message} [${error.code}]` }]);
    }
    state = to;
  }
  const actorId = actor.via === 'system' ? null : Number(actor.userId);
  const responseId = await repo.insertResponse(trx, {
    invoice_id: r.invoiceId,
    invoice_number: r.invoiceNumber,
    status: r.status,
    reason_code: r.reasonCode,
    reason_text: r.reasonText,
    amount_approved_cents: r.amountApproved,
    response_date: r.responseDate,
    source_row: r.row,
    imported_by: actorId,
    imported_at: now,
  });
  if (r.status === 'rejected')
    await trx
      .insertInto('guideline_exception')
      .values({
        fingerprint: `portal-rejection:${responseId}`,
        rule_id: `portal:${r.reasonCode}`,
        rule_kind: 'portal_rejection',
        guideline_version_id: null,
        severity: 'block',
        owner_role: 'billing_coordinator',
        owner_user_id: r.coordinatorId,
        entity_type: 'invoice',
        invoice_id: r.invoiceId,
        entity_external_id: r.invoiceNumber,
        matter_id: r.matterId,
        message: `The client's portal rejected the invoice (${r.reasonCode}${r.reasonText === null ? '' : `: ${r.reasonText}`}): correct it and submit again.`,
        opened_at: now,
        last_seen_at: now,
      })
      .execute();
  let owed: { client_adjustments_cents: number; amount_due_cents: number } | null = null;
  if (r.status === 'reduced') owed = await reduceAmountDue(trx, r, actorId, now);
  await appendAuditEvent(
    trx,
    actor,
    {
      action: 'invoice.ebilling_response',
      entityType: 'invoice',
      entityId: r.invoiceId,
      before: { state: from },
      after: {
        response_id: responseId,
        status: r.status,
        reason_code: r.reasonCode,
        amount_approved_cents: r.amountApproved,
        response_date: r.responseDate,
        state,
        ...(owed ?? {}),
      },
      reason: reason ?? null,
    },
    now,
  );
  return state;
}

/**
 * A reduction: the client owes `amount_approved`. The billed total stays as billed (reports and
 * the LEDES file keep it); the difference from what was owed until now becomes a client_reduction
 * adjustment and the invoice's client adjustments, so its amount due is the approved amount.
 */
async function reduceAmountDue(
  trx: Kysely<DB>,
  r: ResponseRow,
  actorId: number | null,
  now: Date,
): Promise<{ client_adjustments_cents: number; amount_due_cents: number }> {
  const invoice = (await repo.findLedesInvoice(trx, r.invoiceId))!;
  const approved = r.amountApproved!;
  const owedBefore = Number(invoice.amount_due_cents);
  const clientAdjustments = approved - Number(invoice.total_cents);
  await updateVersioned(
    trx,
    'invoice',
    r.invoiceId,
    invoice.version,
    { client_adjustments_cents: clientAdjustments },
    'INVOICE_NOT_FOUND',
    now,
  );
  if (approved !== owedBefore)
    await insertAdjustments(trx, [
      {
        invoice_id: r.invoiceId,
        invoice_line_id: null,
        kind: 'client_reduction',
        field: 'amount_due',
        before: JSON.stringify({
          total_cents: Number(invoice.total_cents),
          amount_due_cents: owedBefore,
        }),
        after: JSON.stringify({ amount_approved_cents: approved, amount_due_cents: approved }),
        amount_cents: approved - owedBefore,
        reason_code: r.reasonCode!,
        note: r.reasonText,
        state: 'applied',
        requested_by: actorId,
        requested_at: now,
        decided_by: actorId,
        decided_at: now,
      },
    ]);
  return { client_adjustments_cents: clientAdjustments, amount_due_cents: approved };
}
