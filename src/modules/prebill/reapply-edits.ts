/**
 * Re-applying a line's recorded corrections to new worked values, as revaluation does after a
 * rate change, so a reviewer's work survives it. The guideline corrections of the rules as they
 * judge the work now come first (the bill run applies them when it writes the line); then every
 * standing adjustment (applied or pending) in the order it was recorded, each as what it meant:
 *
 * - hours or a rate set by hand (a pre-bill edit, a timekeeper's correction) stay what was set;
 * - a write-down, write-up or discount by hours moves the hours by that many (never below 0);
 * - one by a percent is that percent of the line's amount as it now stands;
 * - one by an amount is that amount, a write-down capped at what the line bills, so no line
 *   goes below 0;
 * - a disposition (no charge, excluded, back to bill) and a flat or contingency fee's no-charge
 *   listing stay, a line at no charge keeping its adjustment equal to minus its amount.
 *
 * Adjustments that carry no values (narrative, codes, a move) are left as they were. Pure: the
 * caller reads the rows and writes what comes back.
 */
import { feeAmount, parseHours, parseMoney, parseScaled } from '../../domain/money.js';
import {
  amountOf,
  applyCorrections,
  valuesJson,
  type LineCorrection,
  type LineValues,
  type PlannedAdjustment,
  type PlannedLine,
} from '../invoices/valuation.js';
import { percentOf, signed, type AdjustmentKind } from './adjust-invoice.js';

/** A standing adjustment of the line, as recorded. */
export interface RecordedAdjustment {
  id: number;
  kind: string;
  field: string | null;
  before: unknown;
  after: unknown;
  reasonCode: string;
}

/** A recorded adjustment with the values it has once re-applied. */
export interface Reapplied {
  id: number;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  amount: number;
}

export interface ReapplyResult {
  billed: LineValues;
  disposition: string;
  /** Recorded adjustments re-applied, in the order applied. */
  reapplied: Reapplied[];
  /** Guideline corrections that apply now and were not recorded on the line. */
  added: PlannedAdjustment[];
  /** Ids of recorded guideline adjustments whose rule no longer corrects the line. */
  dropped: number[];
}

const LIVE = new Set(['bill', 'no_charge']);

/** What a line bills: its amount while billed or at no charge, nothing once off the invoice. */
const billed = (values: LineValues, disposition: string) =>
  LIVE.has(disposition) ? amountOf(values) : 0;

/**
 * Re-applies `recorded` (the line's standing adjustments, oldest first) and the guideline
 * `corrections` to `worked`, ending in `disposition` (the line's disposition now).
 */
export function reapplyEdits(input: {
  worked: LineValues;
  disposition: string;
  recorded: readonly RecordedAdjustment[];
  corrections: readonly LineCorrection[];
}): ReapplyResult {
  const line: PlannedLine = {
    lineType: 'F',
    timeEntryId: null,
    expenseId: null,
    workDate: null,
    timekeeperId: null,
    taskCode: null,
    activityCode: null,
    expenseCode: null,
    description: '',
    billed: { ...input.worked },
    worked: input.worked,
    disposition: 'bill',
    adjustments: [],
  };
  applyCorrections(line, input.corrections);
  const reapplied: Reapplied[] = [];
  const added: PlannedAdjustment[] = [];
  const guideline = input.recorded.filter((a) => a.kind === 'guideline');
  const unmatched = new Set(guideline.map((a) => a.id));
  for (const correction of line.adjustments) {
    const match = guideline.find(
      (a) =>
        unmatched.has(a.id) &&
        a.reasonCode === correction.reasonCode &&
        a.field === correction.field,
    );
    if (match === undefined) {
      added.push(correction);
      continue;
    }
    unmatched.delete(match.id);
    reapplied.push({
      id: match.id,
      before: merge(match.before, correction.before as Record<string, unknown>),
      after: merge(match.after, correction.after as Record<string, unknown>),
      amount: correction.amount,
    });
  }

  let values = line.billed;
  let disposition = 'bill';
  for (const adjustment of input.recorded) {
    if (adjustment.kind === 'guideline') continue;
    const step = reapplyOne(adjustment, values, disposition);
    if (step === null) continue;
    const next = settle(step.values, step.disposition, disposition);
    reapplied.push({
      id: adjustment.id,
      before: merge(adjustment.before, valuesJson(values)),
      after: merge(adjustment.after, valuesJson(next)),
      amount: billed(next, step.disposition) - billed(values, disposition),
    });
    values = next;
    disposition = step.disposition;
  }
  // The line's disposition is the last word (an adjustment undone on rejection restores it).
  if (disposition !== input.disposition) {
    values = settle(values, input.disposition, disposition);
    disposition = input.disposition;
  }
  return { billed: values, disposition, reapplied, added, dropped: [...unmatched] };
}

/** Keeps a no-charge line at 0, and gives a line back to bill its amount. */
function settle(values: LineValues, to: string, from: string): LineValues {
  const cancel = -feeAmount(values.units, values.unitCost);
  if (to === 'no_charge') return { ...values, adjustment: cancel };
  if (from === 'no_charge' && to === 'bill' && values.adjustment === cancel)
    return { ...values, adjustment: 0 };
  return values;
}

function reapplyOne(
  adjustment: RecordedAdjustment,
  values: LineValues,
  disposition: string,
): { values: LineValues; disposition: string } | null {
  if (adjustment.kind === 'flat_fee' || adjustment.kind === 'contingency_fee')
    return { values, disposition: 'no_charge' };
  const before = asRecord(adjustment.before);
  const after = asRecord(adjustment.after);
  if (adjustment.field === 'disposition' && typeof after.disposition === 'string')
    return { values, disposition: after.disposition };
  const basis = before.basis as { amount?: string; percent?: string; hours?: string } | undefined;
  if (basis !== undefined && isReviewerKind(adjustment.kind)) {
    const kind = adjustment.kind;
    if (basis.hours !== undefined) {
      const units = Math.max(0, values.units + signed(kind, parseHours(basis.hours) ?? 0));
      return { values: { ...values, units }, disposition };
    }
    const cents =
      basis.amount !== undefined
        ? (parseMoney(basis.amount) ?? 0)
        : percentOf(amountOf(values), parseScaled(basis.percent ?? '0', 2) ?? 0);
    // A write-down takes at most what the line bills.
    const change = kind === 'write_up' ? cents : -Math.min(cents, Math.max(0, amountOf(values)));
    return { values: { ...values, adjustment: values.adjustment + change }, disposition };
  }
  const fields = (adjustment.field ?? '').split('+');
  if (!fields.every((f) => f === 'hours' || f === 'rate')) return null;
  const units = fields.includes('hours') ? parseScaled(String(after.units), 2) : values.units;
  const unitCost = fields.includes('rate') ? Number(after.unit_cost_cents) : values.unitCost;
  if (units === null || !Number.isSafeInteger(unitCost)) return null;
  return { values: { ...values, units, unitCost }, disposition };
}

function isReviewerKind(kind: string): kind is AdjustmentKind {
  return kind === 'write_down' || kind === 'write_up' || kind === 'discount';
}

function asRecord(value: unknown): Record<string, unknown> {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

/** The recorded before or after with its values replaced; everything else it said stays. */
function merge(recorded: unknown, values: Record<string, unknown>): Record<string, unknown> {
  return { ...asRecord(recorded), ...values };
}
