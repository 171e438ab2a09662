/**
 * One matter's part of a bill run: value its new work, shape it by the fee arrangement, then
 * create the draft or refresh the open one (lines, adjustments, totals, guideline verdicts,
 * stage and audit events). A refresh with nothing new writes nothing.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../domain/errors.js';
import { parseHours } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import type { WorkEntryRow, WorkExpenseRow } from '../compliance/work.repository.js';
import type { BillRunReport } from './bill-run.js';
import type { BillMatterRow, BilledBefore, BillRunScope } from './bill-run.repository.js';
import { judgeInvoice, type Judgement } from './bill-run-guidelines.js';
import { settleExceptionStates } from './exception-state.js';
import { applyArrangement, type CapBalance, type FeeArrangement } from './fee-arrangements.js';
import { nextInvoiceNumber } from './invoice-number.js';
import * as repo from './invoices.repository.js';
import { writeCapLine, writeLines } from './write-lines.js';
import { applyCorrections, entryLine, expenseLine } from './valuation.js';

/** What the chunk loaded for one matter. */
export interface MatterWork {
  matter: BillMatterRow;
  invoice: repo.OpenInvoiceRow | undefined;
  /** Every line of the open invoice. */
  lines: repo.InvoiceLineRow[];
  /** Entries on the open invoice's lines. */
  lined: WorkEntryRow[];
  /** New entries with the rate they are valued at. */
  entries: { row: WorkEntryRow; rate: number }[];
  expenses: WorkExpenseRow[];
  billedBefore: BilledBefore;
}

export interface RunState {
  scope: BillRunScope;
  pattern: string;
  judgement: Judgement;
  rateFor: (row: WorkEntryRow) => number;
  report: BillRunReport;
}

const LIVE = new Set(['bill', 'no_charge']);

/** Creates or refreshes the matter's draft; reports it as created, refreshed or unchanged. */
export async function billMatter(
  trx: Kysely<DB>,
  actor: Actor,
  now: Date,
  run: RunState,
  work: MatterWork,
): Promise<void> {
  const { matter, invoice } = work;
  const arrangement = matter.fee_arrangement as FeeArrangement;
  const corrections = run.judgement.corrections;
  // Flat and contingency work is listed at no charge, so there is no billed rate to correct.
  const correctFees = arrangement === 'hourly' || arrangement === 'capped';
  const newLines = [
    ...work.entries.map(({ row, rate }) => {
      const line = entryLine(row, parseHours(row.hours) ?? 0, rate);
      if (correctFees) applyCorrections(line, corrections.get(`time_entry:${row.id}`) ?? []);
      return line;
    }),
    ...work.expenses.map((row) => {
      const line = expenseLine(row);
      applyCorrections(line, corrections.get(`expense:${row.id}`) ?? []);
      return line;
    }),
  ];
  const live = work.lines.filter((l) => LIVE.has(l.disposition));
  // A reviewer's invoice-level write-down is an IF line too; the cap line has no purpose.
  const capLine = live.find((l) => l.line_type === 'IF' && l.purpose === null);
  const plan = applyArrangement({
    arrangement,
    feeAmount: matter.fee_amount_cents === null ? null : Number(matter.fee_amount_cents),
    outcomeAmount:
      invoice?.outcome_amount_cents == null ? null : Number(invoice.outcome_amount_cents),
    newLines,
    hasFixedFeeLine: live.some((l) => l.line_type === 'F' && l.time_entry_id === null),
    flatFeeBilledBefore: work.billedBefore.flatFeeBilled,
    existingFees: live
      .filter((l) => l.line_type === 'F' && l.disposition === 'bill')
      .reduce((sum, l) => sum + Number(l.amount_cents), 0),
    feesBilledBefore: work.billedBefore.fees,
  });
  const capChanged =
    plan.cap !== null && Number(capLine?.amount_cents ?? 0) !== plan.cap.adjustment;
  const stale = invoice !== undefined && ratesChanged(work, run.rateFor);
  const flag = invoice !== undefined && (invoice.needs_revaluation || stale);
  if (invoice === undefined && plan.lines.length === 0) return;
  if (
    invoice !== undefined &&
    plan.lines.length === 0 &&
    !capChanged &&
    flag === invoice.needs_revaluation
  ) {
    run.report.unchanged += 1;
    run.report.invoices.push(summary(invoice, matter, 'unchanged', 0, plan.cap));
    return;
  }

  const actorId = actor.via === 'system' ? null : Number(actor.userId);
  let invoiceId: number;
  if (invoice === undefined) {
    const number = await nextInvoiceNumber(trx, run.pattern, {
      clientCode: matter.client_code,
      matterCode: matter.matter_code,
      period: run.scope.start.slice(0, 7),
    });
    invoiceId = (
      await repo.insertInvoice(trx, {
        invoice_number: number,
        matter_id: matter.id,
        client_id: matter.client_id,
        period_start: run.scope.start,
        period_end: run.scope.end,
        currency: matter.currency,
        fee_arrangement: arrangement,
        state: 'draft',
        // The billing coordinator owns the quality of a draft.
        owner_role: 'billing_coordinator',
        owner_user_id: matter.billing_coordinator_id,
        stage_entered_at: now,
        last_bill_run_at: now,
      })
    ).id;
    await repo.insertStageEvent(trx, {
      invoice_id: invoiceId,
      from_state: null,
      to_state: 'draft',
      owner_role: 'billing_coordinator',
      owner_user_id: matter.billing_coordinator_id,
      actor_user_id: actorId,
      occurred_at: now,
      trigger: 'bill_run',
    });
  } else {
    invoiceId = invoice.id;
    await repo.clearNewMarks(trx, invoiceId);
    await trx
      .updateTable('invoice')
      .set({
        last_bill_run_at: now,
        needs_revaluation: flag,
        version: sql`version + 1`,
        updated_at: now,
      })
      .where('id', '=', invoiceId)
      .execute();
  }
  const nextNumber = Math.max(0, ...work.lines.map((l) => l.line_number)) + 1;
  await writeLines(trx, invoiceId, plan.lines, nextNumber, invoice !== undefined, actorId, now);
  if (plan.cap !== null && capChanged)
    await writeCapLine(
      trx,
      invoiceId,
      capLine,
      plan.cap,
      nextNumber + plan.lines.length,
      actorId,
      now,
    );
  await repo.recomputeTotals(trx, invoiceId);

  const after = (await repo.findInvoiceById(trx, invoiceId))!;
  await judgeInvoice(trx, now, run.judgement, matter, invoiceId, {
    id: after.invoice_number,
    matterCode: matter.matter_code,
    period: { start: run.scope.start, end: run.scope.end },
    lines: [],
    total: Number(after.total_cents),
    matterBudget: matter.budget_cents === null ? null : Number(matter.budget_cents),
    billedToDate: work.billedBefore.total,
  });
  const settled = await settleExceptionStates(trx, actor, now, [invoiceId], 'bill_run');
  const state = settled.get(invoiceId) ?? after.state;
  run.report.entries_billed += work.entries.length;
  run.report.expenses_billed += work.expenses.length;
  const outcome = invoice === undefined ? 'created' : 'refreshed';
  run.report[outcome] += 1;
  const final = { ...after, state };
  run.report.invoices.push(summary(final, matter, outcome, plan.lines.length, plan.cap));
  await appendAuditEvent(
    trx,
    actor,
    {
      action: 'invoice.bill_run',
      entityType: 'invoice',
      entityId: invoiceId,
      before: invoice === undefined ? null : totalsOf(invoice),
      after: { ...totalsOf(final), lines_added: plan.lines.length, outcome },
    },
    now,
  );
}

/** True when an existing fee line's rate lookup no longer gives its worked rate. */
function ratesChanged(work: MatterWork, rateFor: (row: WorkEntryRow) => number): boolean {
  const entries = new Map(work.lined.map((e) => [e.id, e]));
  return work.lines.some((line) => {
    if (line.line_type !== 'F' || line.time_entry_id === null || !LIVE.has(line.disposition))
      return false;
    const entry = entries.get(line.time_entry_id);
    if (entry === undefined) return false;
    try {
      return rateFor(entry) !== Number(line.worked_unit_cost_cents);
    } catch (error) {
      if (error instanceof AppError) return true;
      throw error;
    }
  });
}

function totalsOf(invoice: repo.OpenInvoiceRow) {
  return {
    invoice_number: invoice.invoice_number,
    state: invoice.state,
    fees_cents: Number(invoice.fees_cents),
    expenses_cents: Number(invoice.expenses_cents),
    adjustments_cents: Number(invoice.adjustments_cents),
    total_cents: Number(invoice.total_cents),
    needs_revaluation: invoice.needs_revaluation,
  };
}

function summary(
  invoice: repo.OpenInvoiceRow,
  matter: BillMatterRow,
  outcome: 'created' | 'refreshed' | 'unchanged',
  linesAdded: number,
  cap: CapBalance | null,
) {
  return {
    id: invoice.id,
    invoice_number: invoice.invoice_number,
    matter_code: matter.matter_code,
    client_code: matter.client_code,
    state: invoice.state,
    total_cents: Number(invoice.total_cents),
    outcome,
    lines_added: linesAdded,
    needs_revaluation: invoice.needs_revaluation,
    cap:
      cap === null
        ? null
        : {
            cap_cents: cap.cap,
            billed_before_cents: cap.billedBefore,
            invoice_fees_cents: cap.invoiceFees,
            adjustment_cents: cap.adjustment,
            remaining_cents: cap.remaining,
          },
  };
}
