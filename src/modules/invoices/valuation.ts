/**
 * Valuing work into invoice lines. Every line keeps LEDES arithmetic exact:
 * amount = round-half-up(units × unit cost) + adjustment, which the invoice_line table checks.
 * The worked values are what the recorded work is worth at the rate lookup; the billed values
 * start equal and change only through a recorded adjustment with its before and after.
 */
import type { Correction } from '../../domain/guidelines/index.js';
import { divideRoundHalfUp, feeAmount, formatHours, parseScaled } from '../../domain/money.js';
import type { WorkEntryRow, WorkExpenseRow } from '../compliance/work.repository.js';

/** Units in hundredths, unit cost and adjustment in cents. */
export interface LineValues {
  units: number;
  unitCost: number;
  adjustment: number;
}

export type AdjustmentKind = 'guideline' | 'fee_cap' | 'flat_fee' | 'contingency_fee';

/** An adjustment to record with the line it belongs to (or the invoice when on an IF line). */
export interface PlannedAdjustment {
  kind: AdjustmentKind;
  field: string | null;
  before: unknown;
  after: unknown;
  amount: number;
  reasonCode: string;
}

export interface PlannedLine {
  lineType: 'F' | 'E' | 'IF' | 'IE';
  timeEntryId: number | null;
  expenseId: number | null;
  workDate: string | null;
  timekeeperId: number | null;
  taskCode: string | null;
  activityCode: string | null;
  expenseCode: string | null;
  description: string;
  billed: LineValues;
  worked: LineValues | null;
  disposition: 'bill' | 'no_charge';
  adjustments: PlannedAdjustment[];
}

/** The line total: round-half-up(units × unit cost) to the cent, plus the adjustment. */
export function amountOf(values: LineValues): number {
  return feeAmount(values.units, values.unitCost) + values.adjustment;
}

/** Line values as stored in an adjustment's before/after. */
export function valuesJson(values: LineValues) {
  return {
    units: formatHours(values.units),
    unit_cost_cents: values.unitCost,
    adjustment_cents: values.adjustment,
    amount_cents: amountOf(values),
  };
}

/** A fee line for a time entry valued at `rate`: billed equals worked until something adjusts it. */
export function entryLine(row: WorkEntryRow, hours: number, rate: number): PlannedLine {
  const values = { units: hours, unitCost: rate, adjustment: 0 };
  return {
    lineType: 'F',
    timeEntryId: row.id,
    expenseId: null,
    workDate: row.work_date,
    timekeeperId: row.timekeeper_id,
    taskCode: row.task_code,
    activityCode: row.activity_code,
    expenseCode: null,
    description: row.narrative,
    billed: { ...values },
    worked: values,
    disposition: 'bill',
    adjustments: [],
  };
}

/**
 * An expense line. A recorded amount that differs from quantity × unit cost (a negotiated
 * total) is kept, and the difference sits in the line's adjustment so the arithmetic holds.
 */
export function expenseLine(row: WorkExpenseRow): PlannedLine {
  const units = parseScaled(row.quantity, 2) ?? 0;
  const unitCost = Number(row.unit_cost_cents);
  const values = {
    units,
    unitCost,
    adjustment: Number(row.amount_cents) - feeAmount(units, unitCost),
  };
  return {
    lineType: 'E',
    timeEntryId: null,
    expenseId: row.id,
    workDate: row.expense_date,
    timekeeperId: row.timekeeper_id,
    taskCode: null,
    activityCode: null,
    expenseCode: row.expense_code,
    description: row.description,
    billed: { ...values },
    worked: values,
    disposition: 'bill',
    adjustments: [],
  };
}

/** A guideline `adjust` finding's correction for one line. */
export interface LineCorrection {
  ruleId: string;
  correction: Correction;
}

// Rate and hours first, then amounts: a travel factor applies to the amount at the capped rate.
const ORDER = { rate: 0, hours: 1, amount: 2 } as const;

/** Applies guideline corrections to the billed values, recording one adjustment per correction. */
export function applyCorrections(line: PlannedLine, corrections: readonly LineCorrection[]): void {
  const sorted = [...corrections].sort(
    (a, b) => ORDER[a.correction.field] - ORDER[b.correction.field],
  );
  for (const { ruleId, correction } of sorted) {
    const before = line.billed;
    const after = corrected(before, correction);
    const delta = amountOf(after) - amountOf(before);
    if (delta === 0 && after.units === before.units && after.unitCost === before.unitCost) continue;
    line.billed = after;
    line.adjustments.push({
      kind: 'guideline',
      field: correction.field,
      before: valuesJson(before),
      after: valuesJson(after),
      amount: delta,
      reasonCode: `guideline:${ruleId}`,
    });
  }
}

function corrected(values: LineValues, correction: Correction): LineValues {
  if ('factor' in correction) {
    const factor = parseScaled(correction.factor, 4) ?? 10000;
    const target = divideRoundHalfUp(BigInt(amountOf(values)) * BigInt(factor), 10000n);
    return { ...values, adjustment: target - feeAmount(values.units, values.unitCost) };
  }
  switch (correction.field) {
    case 'rate':
      return { ...values, unitCost: correction.to };
    case 'hours':
      return { ...values, units: correction.to };
    case 'amount':
      return { ...values, adjustment: correction.to - feeAmount(values.units, values.unitCost) };
  }
}

/**
 * Lists a line at no charge: units and unit cost stay (the reader sees what the work was
 * worth) and the adjustment cancels the extended amount, so the line totals 0 exactly.
 */
export function markNoCharge(line: PlannedLine, kind: AdjustmentKind): void {
  const before = line.billed;
  const after = { ...before, adjustment: -feeAmount(before.units, before.unitCost) };
  line.billed = after;
  line.disposition = 'no_charge';
  line.adjustments.push({
    kind,
    field: 'amount',
    before: valuesJson(before),
    after: valuesJson(after),
    amount: amountOf(after) - amountOf(before),
    reasonCode: 'fee_agreement',
  });
}
