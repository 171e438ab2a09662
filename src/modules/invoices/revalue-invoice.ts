/**
 * Revaluing a draft after a rate changed: every fee line of a time entry gets the rate the
 * lookup gives now, for its worked and its billed values. Corrections recorded on those lines
 * (guideline adjustments) are marked superseded rather than carried over: re-applying edits
 * to new rates belongs to pre-bill editing, which is not built yet.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../config/context.js';
import { AppError, notFound, staleVersion } from '../../domain/errors.js';
import { feeAmount, parseHours } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import { resolveRate } from '../../domain/rates.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as runRepo from './bill-run.repository.js';
import { applyArrangement, type FeeArrangement } from './fee-arrangements.js';
import * as repo from './invoices.repository.js';
import { valuesJson } from './valuation.js';
import { writeCapLine } from './write-lines.js';

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
    const invoice = await repo.findVisibleInvoice(trx, actor, { id: invoiceId });
    if (!invoice) throw notFound('INVOICE_NOT_FOUND', `No invoice ${invoiceId}.`);
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
      (l) =>
        l.line_type === 'F' &&
        l.time_entry_id !== null &&
        (l.disposition === 'bill' || l.disposition === 'no_charge'),
    );
    const entries = new Map(
      (
        await runRepo.findEntriesByIds(
          trx,
          fees.map((l) => l.time_entry_id!),
        )
      ).map((e) => [e.id, e]),
    );
    const rates = await runRepo.findRateCandidates(
      trx,
      [...new Set([...entries.values()].map((e) => e.timekeeper_id))],
      [matter!],
      invoice.period_start,
      invoice.period_end,
    );
    const noChargeKind = invoice.fee_arrangement === 'flat' ? 'flat_fee' : 'contingency_fee';
    for (const line of fees) {
      const entry = entries.get(line.time_entry_id!)!;
      const rate = resolveRate(
        {
          timekeeperId: String(entry.timekeeper_id),
          timekeeperCode: entry.timekeeper_code,
          matterId: String(matter!.id),
          matterCode: matter!.matter_code,
          clientId: String(matter!.client_id),
          currency: matter!.currency,
          workDate: entry.work_date,
          standardRate:
            entry.standard_rate_cents === null ? null : Number(entry.standard_rate_cents),
          standardRateCurrency: entry.timekeeper_currency,
        },
        rates,
      ).rate;
      const units = parseHours(line.worked_units ?? line.units) ?? 0;
      const worked = feeAmount(units, rate);
      const noCharge = line.disposition === 'no_charge';
      const adjustment = noCharge ? -worked : 0;
      await trx
        .updateTable('invoice_line')
        .set({
          units: line.worked_units ?? line.units,
          unit_cost_cents: rate,
          adjustment_cents: adjustment,
          amount_cents: worked + adjustment,
          worked_unit_cost_cents: rate,
          worked_amount_cents: worked,
          version: sql`version + 1`,
          updated_at: now,
        })
        .where('id', '=', line.id)
        .execute();
      await trx
        .updateTable('invoice_adjustment')
        .set({
          state: 'rejected',
          decided_by: actorId,
          decided_at: now,
          note: 'superseded by revaluation',
          updated_at: now,
        })
        .where('invoice_line_id', '=', line.id)
        .where('state', '=', 'applied')
        .execute();
      if (noCharge)
        await repo.insertAdjustments(trx, [
          {
            invoice_id: invoiceId,
            invoice_line_id: line.id,
            kind: noChargeKind,
            field: 'amount',
            before: JSON.stringify(valuesJson({ units, unitCost: rate, adjustment: 0 })),
            after: JSON.stringify(valuesJson({ units, unitCost: rate, adjustment })),
            amount_cents: adjustment,
            reason_code: 'fee_agreement',
            state: 'applied',
            requested_by: actorId,
            requested_at: now,
          },
        ]);
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
        after: { total_cents: Number(after.total_cents), fees_cents: Number(after.fees_cents) },
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
