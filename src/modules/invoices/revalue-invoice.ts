/**
 * Revaluing a draft after a rate changed: every fee line of a time entry gets the rate the
 * lookup gives now for its worked values, and its billed values are the worked values with the
 * line's corrections re-applied (`prebill/reapply-edits.ts`): the client's guideline as it
 * judges the work at the new rate, then the reviewer's edits, write-downs and dispositions in
 * the order they were recorded. Each re-applied adjustment keeps its row (pending ones stay
 * pending) with its values brought up to date; each line changed gets one `revaluation`
 * adjustment with its values before and after, and the invoice one `invoice.revalue` audit
 * event, all in one transaction.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { AppError, notFound, staleVersion } from '../../domain/errors.js';
import { feeAmount, formatHours, parseHours } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import { resolveRate, type RateCandidate } from '../../domain/rates.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { evaluateWork } from '../compliance/evaluate-work.js';
import { loadClientRules } from '../compliance/rules-for-client.js';
import { attachRefs } from '../compliance/scan-finding.js';
import { buildBatch } from '../compliance/work-loader.js';
import { WorkContext } from '../compliance/work-input.js';
import { findApprovals, type WorkEntryRow } from '../compliance/work.repository.js';
import {
  reapplyEdits,
  type ReapplyResult,
  type RecordedAdjustment,
} from '../prebill/reapply-edits.js';
import * as runRepo from './bill-run.repository.js';
import { applyArrangement, type FeeArrangement } from './fee-arrangements.js';
import * as repo from './invoices.repository.js';
import { valuesJson, type LineCorrection, type LineValues } from './valuation.js';
import { writeCapLine } from './write-lines.js';

/** Lines revaluation values: on the invoice, or excluded from it (and restorable). */
const VALUED = new Set(['bill', 'no_charge', 'exclude']);
const LIVE = new Set(['bill', 'no_charge']);

/** Revalues the draft `invoiceId` if `version` is current; clears its revaluation flag. */
export async function revalueInvoice(
  ctx: AppContext,
  actor: Actor,
  invoiceId: number,
  version: number,
): Promise<number> {
  const now = ctx.now();
  const actorId = actor.via === 'system' ? null : Number(actor.userId);
  return ctx.db.transaction().execute(async (trx) => {
    const visible = await repo.findVisibleInvoice(trx, actor, { id: invoiceId });
    if (!visible) throw notFound('INVOICE_NOT_FOUND', `No invoice ${invoiceId}.`);
    await sql`select 1 from invoice where id = ${invoiceId} for update`.execute(trx);
    const invoice = (await repo.findInvoiceById(trx, invoiceId))!;
    if (invoice.version !== version) throw staleVersion('invoice', version, invoice.version);
    if (invoice.state !== 'draft' && invoice.state !== 'exception')
      throw new AppError(
        'conflict',
        'INVOICE_NOT_EDITABLE',
        `Invoice ${invoice.invoice_number} is ${invoice.state}; only a draft (or a draft in exception) can be revalued.`,
      );
    const [matter] = await runRepo.findBillMatters(trx, [invoice.matter_id]);
    const lines = await repo.findLines(trx, [invoiceId]);
    const fees = lines.filter(
      (l) => l.line_type === 'F' && l.time_entry_id !== null && VALUED.has(l.disposition),
    );
    const entries = await runRepo.findEntriesByIds(
      trx,
      fees.map((l) => l.time_entry_id!),
    );
    const rates = await runRepo.findRateCandidates(
      trx,
      [...new Set(entries.map((e) => e.timekeeper_id))],
      [matter!],
      invoice.period_start,
      invoice.period_end,
    );
    const rateOf = new Map(entries.map((e) => [e.id, rateFor(matter!, e, rates)]));
    // Flat and contingency work is at no charge, so the bill run corrects no billed rate there.
    const corrections =
      invoice.fee_arrangement === 'hourly' || invoice.fee_arrangement === 'capped'
        ? await guidelineCorrections(trx, matter!, invoice, entries, rateOf, rates)
        : new Map<string, LineCorrection[]>();
    const recorded = await standingAdjustments(trx, invoiceId);

    let linesChanged = 0;
    let reappliedCount = 0;
    for (const line of fees) {
      const rate = rateOf.get(line.time_entry_id!)!;
      const units = parseHours(line.worked_units ?? line.units) ?? 0;
      const worked: LineValues = { units, unitCost: rate, adjustment: 0 };
      const result = reapplyEdits({
        worked,
        disposition: line.disposition,
        recorded: recorded.get(Number(line.id)) ?? [],
        corrections: corrections.get(`time_entry:${line.time_entry_id}`) ?? [],
      });
      const before = lineValues(line);
      const after = {
        ...valuesJson(result.billed),
        disposition: result.disposition,
        worked_units: formatHours(units),
        worked_unit_cost_cents: rate,
        worked_amount_cents: feeAmount(units, rate),
      };
      if (sameValues(before, after)) continue;
      linesChanged += 1;
      reappliedCount += result.reapplied.length;
      await writeRevaluedLine(
        trx,
        invoiceId,
        Number(line.id),
        { before, after, result },
        actorId,
        now,
      );
    }
    if (invoice.fee_arrangement === 'capped')
      await refreshCap(trx, invoiceId, invoice, matter!, actorId, now);
    await repo.recomputeTotals(trx, invoiceId);
    await trx
      .updateTable('invoice')
      .set({ needs_revaluation: false, version: sql`version + 1`, updated_at: now })
      .where('id', '=', invoiceId)
      .execute();
    const after = (await repo.findInvoiceById(trx, invoiceId))!;
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'invoice.revalue',
        entityType: 'invoice',
        entityId: invoiceId,
        before: {
          total_cents: Number(invoice.total_cents),
          fees_cents: Number(invoice.fees_cents),
        },
        after: {
          total_cents: Number(after.total_cents),
          fees_cents: Number(after.fees_cents),
          lines_revalued: linesChanged,
          adjustments_reapplied: reappliedCount,
        },
      },
      now,
    );
    return invoiceId;
  });
}

/** Brings a capped invoice's cap line in line with its fees as they now stand. */
export async function refreshCap(
  trx: Parameters<typeof repo.findLines>[0],
  invoiceId: number,
  invoice: repo.InvoiceRow,
  matter: runRepo.BillMatterRow,
  actorId: number | null,
  now: Date,
): Promise<void> {
  const all = await repo.findLines(trx, [invoiceId]);
  const lines = all.filter((l) => l.disposition === 'bill');
  const before = await runRepo.findBilledBefore(trx, [invoice.matter_id], [invoiceId]);
  const plan = applyArrangement({
    arrangement: invoice.fee_arrangement as FeeArrangement,
    feeAmount: matter.fee_amount_cents === null ? null : Number(matter.fee_amount_cents),
    outcomeAmount: null,
    newLines: [],
    hasFixedFeeLine: true,
    flatFeeBilledBefore: true,
    existingFees: lines
      .filter((l) => l.line_type === 'F')
      .reduce((sum, l) => sum + Number(l.amount_cents), 0),
    feesBilledBefore: before.get(invoice.matter_id)?.fees ?? 0,
  });
  // A reviewer's invoice-level write-down is an IF line too; the cap line has no purpose.
  const capLine = lines.find((l) => l.line_type === 'IF' && l.purpose === null);
  if (plan.cap === null || Number(capLine?.amount_cents ?? 0) === plan.cap.adjustment) return;
  const next = Math.max(0, ...all.map((l) => l.line_number)) + 1;
  await writeCapLine(trx, invoiceId, capLine, plan.cap, next, actorId, now);
}

/** The rate the lookup gives the entry now on `matter`; throws RATE_NOT_FOUND. */
function rateFor(
  matter: runRepo.BillMatterRow,
  entry: WorkEntryRow,
  rates: readonly RateCandidate[],
): number {
  return resolveRate(
    {
      timekeeperId: String(entry.timekeeper_id),
      timekeeperCode: entry.timekeeper_code,
      matterId: String(matter.id),
      matterCode: matter.matter_code,
      clientId: String(matter.client_id),
      currency: matter.currency,
      workDate: entry.work_date,
      standardRate: entry.standard_rate_cents === null ? null : Number(entry.standard_rate_cents),
      standardRateCurrency: entry.timekeeper_currency,
    },
    rates,
  ).rate;
}

/**
 * The client's guideline `adjust` corrections for the invoice's entries valued at their new
 * rates, by `time_entry:<id>`, judged as the bill run judges new work (the invoice's period,
 * its entries as each other's neighbours). The exceptions are not touched here; the next check
 * or bill run keeps them in step.
 */
async function guidelineCorrections(
  trx: Kysely<DB>,
  matter: runRepo.BillMatterRow,
  invoice: repo.InvoiceRow,
  entries: readonly WorkEntryRow[],
  rateOf: ReadonlyMap<number, number>,
  rates: readonly RateCandidate[],
): Promise<Map<string, LineCorrection[]>> {
  const corrections = new Map<string, LineCorrection[]>();
  const rules = await loadClientRules(trx, matter.client_id);
  if (rules.segments.length === 0 || entries.length === 0) return corrections;
  const context = new WorkContext(
    { id: matter.client_id, client_code: matter.client_code, currency: matter.currency },
    [matter],
    await findApprovals(trx, [matter.id]),
    rates,
  );
  const batch = buildBatch(
    context,
    entries.map((e) => ({ ...e, rate_cents: rateOf.get(e.id) ?? null })),
    [],
    () => true,
  );
  const findings = attachRefs(
    evaluateWork(rules, {
      ...batch.input,
      period: { start: invoice.period_start, end: invoice.period_end },
    }),
    batch.refs,
  );
  for (const finding of findings) {
    if (finding.severity !== 'adjust' || finding.correction === undefined) continue;
    const key = `${finding.entity}:${finding.entityDbId}`;
    const list = corrections.get(key) ?? [];
    list.push({ ruleId: finding.ruleId, correction: finding.correction });
    corrections.set(key, list);
  }
  return corrections;
}

/** Writes a revalued line, its re-applied adjustments and its `revaluation` record. */
async function writeRevaluedLine(
  trx: Kysely<DB>,
  invoiceId: number,
  lineId: number,
  { before, after, result }: { before: LineRecord; after: LineRecord; result: ReapplyResult },
  actorId: number | null,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('invoice_line')
    .set({
      units: after.units,
      unit_cost_cents: after.unit_cost_cents,
      adjustment_cents: after.adjustment_cents,
      amount_cents: after.amount_cents,
      disposition: after.disposition,
      worked_unit_cost_cents: after.worked_unit_cost_cents,
      worked_amount_cents: after.worked_amount_cents,
      version: sql`version + 1`,
      updated_at: now,
    })
    .where('id', '=', lineId)
    .execute();
  for (const step of result.reapplied)
    await trx
      .updateTable('invoice_adjustment')
      .set({
        before: JSON.stringify(step.before),
        after: JSON.stringify(step.after),
        amount_cents: step.amount,
        version: sql`version + 1`,
        updated_at: now,
      })
      .where('id', '=', step.id)
      .execute();
  if (result.dropped.length > 0)
    await trx
      .updateTable('invoice_adjustment')
      .set({
        state: 'rejected',
        decided_by: actorId,
        decided_at: now,
        note: 'no longer applies after revaluation',
        version: sql`version + 1`,
        updated_at: now,
      })
      .where(sql<boolean>`id = any(${result.dropped}::bigint[])`)
      .execute();
  await repo.insertAdjustments(trx, [
    ...result.added.map((a) => ({
      invoice_id: invoiceId,
      invoice_line_id: lineId,
      kind: a.kind,
      field: a.field,
      before: JSON.stringify(a.before),
      after: JSON.stringify(a.after),
      amount_cents: a.amount,
      reason_code: a.reasonCode,
      state: 'applied',
      requested_by: actorId,
      requested_at: now,
    })),
    {
      invoice_id: invoiceId,
      invoice_line_id: lineId,
      kind: 'revaluation',
      field: 'rate',
      before: JSON.stringify(before),
      after: JSON.stringify({
        ...after,
        reapplied: result.reapplied.map((s) => ({ id: s.id, amount_cents: s.amount })),
        ...(result.added.length > 0 ? { guideline_added: result.added.length } : {}),
        ...(result.dropped.length > 0 ? { guideline_dropped: result.dropped } : {}),
      }),
      amount_cents:
        (LIVE.has(after.disposition) ? after.amount_cents : 0) -
        (LIVE.has(before.disposition) ? before.amount_cents : 0),
      reason_code: 'rate_change',
      state: 'applied',
      requested_by: actorId,
      requested_at: now,
    },
  ]);
}

/** The invoice's standing (applied or pending) line adjustments by line, oldest first. */
async function standingAdjustments(
  trx: Kysely<DB>,
  invoiceId: number,
): Promise<Map<number, RecordedAdjustment[]>> {
  const recorded = new Map<number, RecordedAdjustment[]>();
  for (const a of await repo.findAdjustments(trx, invoiceId)) {
    if (a.invoice_line_id === null || a.state === 'rejected') continue;
    const list = recorded.get(Number(a.invoice_line_id)) ?? [];
    list.push({
      id: Number(a.id),
      kind: a.kind,
      field: a.field,
      before: a.before,
      after: a.after,
      reasonCode: a.reason_code,
    });
    recorded.set(Number(a.invoice_line_id), list);
  }
  return recorded;
}

/** A fee line's billed and worked values as the revaluation adjustment records them. */
function lineValues(line: repo.InvoiceLineRow) {
  return {
    ...valuesJson({
      units: parseHours(line.units) ?? 0,
      unitCost: Number(line.unit_cost_cents),
      adjustment: Number(line.adjustment_cents),
    }),
    disposition: line.disposition,
    worked_units: line.worked_units,
    worked_unit_cost_cents:
      line.worked_unit_cost_cents === null ? null : Number(line.worked_unit_cost_cents),
    worked_amount_cents:
      line.worked_amount_cents === null ? null : Number(line.worked_amount_cents),
  };
}

type LineRecord = ReturnType<typeof lineValues>;

function sameValues(a: LineRecord, b: LineRecord): boolean {
  return (
    a.units === b.units &&
    a.unit_cost_cents === b.unit_cost_cents &&
    a.adjustment_cents === b.adjustment_cents &&
    a.disposition === b.disposition &&
    a.worked_unit_cost_cents === b.worked_unit_cost_cents &&
    a.worked_amount_cents === b.worked_amount_cents
  );
}
