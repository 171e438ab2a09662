/** Writing planned lines and their adjustments, and keeping a capped draft's IF line current. */
import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB, InvoiceAdjustmentTable } from '../../db/schema.js';
import { formatHours } from '../../domain/money.js';
import type { CapBalance } from './fee-arrangements.js';
import * as repo from './invoices.repository.js';
import { amountOf, type PlannedLine } from './valuation.js';

/** One invoice's planned lines, numbered from `firstNumber`. */
export interface LinesToWrite {
  invoiceId: number;
  lines: readonly PlannedLine[];
  firstNumber: number;
  /** Marks the lines as new since the last run (a refresh, not a new draft). */
  markNew: boolean;
}

/**
 * Inserts the planned lines of several invoices, then their adjustments pointing at them: one
 * insert per 1,000 lines, whatever the number of invoices.
 */
export async function writeLines(
  trx: Kysely<DB>,
  batches: readonly LinesToWrite[],
  actorId: number | null,
  now: Date,
): Promise<void> {
  const rows: repo.NewLine[] = batches.flatMap(({ invoiceId, lines, firstNumber, markNew }) =>
    lines.map((line, i) => ({
      invoice_id: invoiceId,
      line_number: firstNumber + i,
      line_type: line.lineType,
      time_entry_id: line.timeEntryId,
      expense_id: line.expenseId,
      work_date: line.workDate,
      timekeeper_id: line.timekeeperId,
      task_code: line.taskCode,
      activity_code: line.activityCode,
      expense_code: line.expenseCode,
      description: line.description,
      units: formatHours(line.billed.units),
      unit_cost_cents: line.billed.unitCost,
      adjustment_cents: line.billed.adjustment,
      amount_cents: amountOf(line.billed),
      worked_units: line.worked === null ? null : formatHours(line.worked.units),
      worked_unit_cost_cents: line.worked?.unitCost ?? null,
      worked_amount_cents: line.worked === null ? null : amountOf(line.worked),
      disposition: line.disposition,
      new_since_last_run: markNew,
    })),
  );
  if (rows.length === 0) return;
  const inserted = await repo.insertNewLines(trx, rows);
  const idOf = new Map(inserted.map((row) => [`${row.invoice_id}:${row.line_number}`, row.id]));
  const adjustments: Insertable<InvoiceAdjustmentTable>[] = [];
  for (const { invoiceId, lines, firstNumber } of batches)
    lines.forEach((line, i) => {
      for (const a of line.adjustments)
        adjustments.push({
          invoice_id: invoiceId,
          invoice_line_id: idOf.get(`${invoiceId}:${firstNumber + i}`)!,
          kind: a.kind,
          field: a.field,
          before: JSON.stringify(a.before),
          after: JSON.stringify(a.after),
          amount_cents: a.amount,
          reason_code: a.reasonCode,
          state: 'applied',
          requested_by: actorId,
          requested_at: now,
        });
    });
  await repo.insertAdjustments(trx, adjustments);
}

/**
 * Sets the capped draft's IF line to the cap adjustment (0 units at 0, the amount in the
 * adjustment, as LEDES invoice-level adjustments are written) and records the change.
 */
export async function writeCapLine(
  trx: Kysely<DB>,
  invoiceId: number,
  existing: repo.InvoiceLineRow | undefined,
  cap: CapBalance,
  lineNumber: number,
  actorId: number | null,
  now: Date,
): Promise<void> {
  const old = Number(existing?.amount_cents ?? 0);
  let lineId: number;
  if (existing === undefined) {
    const [row] = await repo.insertLines(trx, [
      {
        invoice_id: invoiceId,
        line_number: lineNumber,
        line_type: 'IF',
        description: 'Fee cap adjustment',
        units: '0.00',
        unit_cost_cents: 0,
        adjustment_cents: cap.adjustment,
        amount_cents: cap.adjustment,
      },
    ]);
    lineId = row!.id;
  } else {
    lineId = existing.id;
    await trx
      .updateTable('invoice_line')
      .set({
        adjustment_cents: cap.adjustment,
        amount_cents: cap.adjustment,
        version: sql`version + 1`,
        updated_at: now,
      })
      .where('id', '=', lineId)
      .execute();
  }
  const state = (adjustment: number) => ({
    cap_cents: cap.cap,
    billed_before_cents: cap.billedBefore,
    invoice_fees_cents: cap.invoiceFees,
    cap_adjustment_cents: adjustment,
  });
  await repo.insertAdjustments(trx, [
    {
      invoice_id: invoiceId,
      invoice_line_id: lineId,
      kind: 'fee_cap',
      field: 'fees',
      before: JSON.stringify(state(old)),
      after: JSON.stringify(state(cap.adjustment)),
      amount_cents: cap.adjustment - old,
      reason_code: 'fee_agreement',
      state: 'applied',
      requested_by: actorId,
      requested_at: now,
    },
  ]);
}
