/**
 * The matters' part of a bill-run chunk: value each matter's new work, shape it by the fee
 * arrangement, then create the drafts or refresh the open ones (lines, adjustments, totals,
 * guideline verdicts, stage and audit events), the chunk's writes batched together. A refresh
 * with nothing new writes nothing.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../domain/errors.js';
import { parseHours } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvents, type AuditAppend } from '../audit/audit.repository.js';
import type { WorkEntryRow, WorkExpenseRow } from '../compliance/work.repository.js';
import type { BillRunInvoice, BillRunReport } from './bill-run.js';
import type { BillMatterRow, BilledBefore, BillRunScope } from './bill-run.repository.js';
import { judgeInvoices, type Judgement } from './bill-run-guidelines.js';
import { settleExceptionStates } from './exception-state.js';
import { applyArrangement, type CapBalance, type FeeArrangement } from './fee-arrangements.js';
import { nextInvoiceNumbers } from './invoice-number.js';
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
  /** The guideline verdicts of the chunk's new work, by client. */
  judgements: ReadonlyMap<number, Judgement>;
  rateFor: (row: WorkEntryRow) => number;
  report: BillRunReport;
}

const LIVE = new Set(['bill', 'no_charge']);

/** A matter whose draft is created or refreshed, with everything decided before writing. */
interface Draft {
  work: MatterWork;
  plan: ReturnType<typeof applyArrangement>;
  capLine: repo.InvoiceLineRow | undefined;
  capChanged: boolean;
  flag: boolean;
  invoiceId: number;
}

/**
 * Creates or refreshes the drafts of a chunk's matters; reports each as created, refreshed or
 * unchanged, in the order given. Everything is planned first, then written with a fixed number
 * of statements for the whole chunk (invoices, stage events, lines, adjustments, totals,
 * invoice-level verdicts, exception states, audit events), whatever the number of matters.
 */
export async function billMatters(
  trx: Kysely<DB>,
  actor: Actor,
  now: Date,
  run: RunState,
  works: readonly MatterWork[],
): Promise<void> {
  const results: (Draft | BillRunInvoice)[] = [];
  for (const work of works) {
    const planned = planMatter(run, work);
    if (planned !== null) results.push(planned);
  }
  const drafts = results.filter((r): r is Draft => 'work' in r);
  const actorId = actor.via === 'system' ? null : Number(actor.userId);
  const creates = drafts.filter((d) => d.work.invoice === undefined);
  const refreshes = drafts.filter((d) => d.work.invoice !== undefined);

  const numbers = await nextInvoiceNumbers(
    trx,
    run.pattern,
    creates.map(({ work }) => ({
      clientCode: work.matter.client_code,
      matterCode: work.matter.matter_code,
      period: run.scope.start.slice(0, 7),
    })),
  );
  const created = await repo.insertInvoices(
    trx,
    creates.map(({ work }, i) => ({
      invoice_number: numbers[i]!,
      matter_id: work.matter.id,
      client_id: work.matter.client_id,
      period_start: run.scope.start,
      period_end: run.scope.end,
      currency: work.matter.currency,
      fee_arrangement: work.matter.fee_arrangement,
      state: 'draft',
      // The billing coordinator owns the quality of a draft.
      owner_role: 'billing_coordinator',
      owner_user_id: work.matter.billing_coordinator_id,
      stage_entered_at: now,
      last_bill_run_at: now,
    })),
  );
  const idByMatter = new Map(created.map((row) => [Number(row.matter_id), Number(row.id)]));
  for (const draft of creates) draft.invoiceId = idByMatter.get(draft.work.matter.id)!;
  await repo.insertStageEvents(
    trx,
    creates.map(({ work, invoiceId }) => ({
      invoice_id: invoiceId,
      from_state: null,
      to_state: 'draft',
      owner_role: 'billing_coordinator',
      owner_user_id: work.matter.billing_coordinator_id,
      actor_user_id: actorId,
      occurred_at: now,
      trigger: 'bill_run',
    })),
  );
  await repo.clearNewMarks(
    trx,
    refreshes.map((d) => d.invoiceId),
  );
  await repo.markRefreshed(
    trx,
    refreshes.map((d) => ({ id: d.invoiceId, needsRevaluation: d.flag })),
    now,
  );

  const nextNumber = (d: Draft) => Math.max(0, ...d.work.lines.map((l) => l.line_number)) + 1;
  await writeLines(
    trx,
    drafts.map((d) => ({
      invoiceId: d.invoiceId,
      lines: d.plan.lines,
      firstNumber: nextNumber(d),
      markNew: d.work.invoice !== undefined,
    })),
    actorId,
    now,
  );
  for (const d of drafts)
    if (d.plan.cap !== null && d.capChanged)
      await writeCapLine(
        trx,
        d.invoiceId,
        d.capLine,
        d.plan.cap,
        nextNumber(d) + d.plan.lines.length,
        actorId,
        now,
      );
  const ids = drafts.map((d) => d.invoiceId);
  await repo.recomputeTotalsOf(trx, ids);

  const after = new Map(
    (await repo.findInvoicesByIds(trx, ids)).map((row) => [Number(row.id), row]),
  );
  await judgeInvoices(
    trx,
    now,
    drafts.map(({ work, invoiceId }) => {
      const invoice = after.get(invoiceId)!;
      return {
        judgement: run.judgements.get(work.matter.client_id)!,
        matter: work.matter,
        invoiceId,
        invoice: {
          id: invoice.invoice_number,
          matterCode: work.matter.matter_code,
          period: { start: run.scope.start, end: run.scope.end },
          lines: [],
          total: Number(invoice.total_cents),
          matterBudget: work.matter.budget_cents === null ? null : Number(work.matter.budget_cents),
          billedToDate: work.billedBefore.total,
        },
      };
    }),
  );
  const settled = await settleExceptionStates(trx, actor, now, ids, 'bill_run');

  const audits: AuditAppend[] = [];
  for (const result of results) {
    if (!('work' in result)) {
      run.report.unchanged += 1;
      run.report.invoices.push(result);
      continue;
    }
    const { work, invoiceId, plan } = result;
    const final = { ...after.get(invoiceId)! };
    final.state = settled.get(invoiceId) ?? final.state;
    const outcome = work.invoice === undefined ? 'created' : 'refreshed';
    run.report.entries_billed += work.entries.length;
    run.report.expenses_billed += work.expenses.length;
    run.report[outcome] += 1;
    run.report.invoices.push(summary(final, work.matter, outcome, plan.lines.length, plan.cap));
    audits.push({
      actor,
      occurredAt: now,
      event: {
        action: 'invoice.bill_run',
        entityType: 'invoice',
        entityId: invoiceId,
        before: work.invoice === undefined ? null : totalsOf(work.invoice),
        after: { ...totalsOf(final), lines_added: plan.lines.length, outcome },
      },
    });
  }
  await appendAuditEvents(trx, audits);
}

/**
 * Values a matter's new work and shapes it by the fee arrangement: a draft to write, the
 * summary of an open draft with nothing to change, or null when there is nothing to bill.
 */
function planMatter(run: RunState, work: MatterWork): Draft | BillRunInvoice | null {
  const { matter, invoice } = work;
  const arrangement = matter.fee_arrangement as FeeArrangement;
  const corrections = run.judgements.get(matter.client_id)!.corrections;
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
  if (invoice === undefined)
    return plan.lines.length === 0 ? null : { work, plan, capLine, capChanged, flag, invoiceId: 0 };
  if (plan.lines.length === 0 && !capChanged && flag === invoice.needs_revaluation)
    return summary(invoice, matter, 'unchanged', 0, plan.cap);
  return { work, plan, capLine, capChanged, flag, invoiceId: invoice.id };
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
): BillRunInvoice {
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
