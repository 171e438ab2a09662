/** Checks of one line item: required values by line type, formats, codes, arithmetic, duplicates. */
import { formatMoney } from '../money.js';
import { isValidActivityCode, isValidExpenseCode, isValidTaskCode } from '../utbms/utbms.js';
import { chargeKey } from './charge-key.js';
import type { FieldReader } from './field-reader.js';
import type { InvoiceState } from './invoice-state.js';
import { F, isLineType, type LedesLineType } from './ledes1998b.js';
import {
  READ_SCALE,
  READ_TAX_RATE_SCALE,
  mulDivRoundHalfUp,
  pow10,
  readDecimal,
  scaledToCents,
} from './numbers.js';
import type { ProblemList } from './problems.js';

/** The product units × cost carries 2 × READ_SCALE decimals; this brings it to cents. */
const PRODUCT_TO_CENTS = pow10(2 * READ_SCALE - 2);
const TAX_RATE_DIVISOR = pow10(READ_TAX_RATE_SCALE);

/** State shared by all lines of a file: the duplicate-charge index. */
export interface LineContext {
  reader: FieldReader;
  problems: ProblemList;
  international: boolean;
  /** Hash of a fee or expense charge (see charge-key.ts) → the line it first appeared on. */
  charges: Map<number, number>;
}

/** Checks one line item; invoice-level values come from `state` (the invoice's first line). */
export function checkLine(ctx: LineContext, state: InvoiceState): void {
  const { reader, problems } = ctx;
  const line = reader.line;
  state.lineCount++;
  const lineNumber = reader.required(F.LINE_ITEM_NUMBER, 'on every line');
  if (lineNumber !== null) {
    if (state.lineNumbers.has(lineNumber))
      problems.error(
        line,
        'LINE_ITEM_NUMBER',
        'DUPLICATE_LINE_ITEM_NUMBER',
        `LINE_ITEM_NUMBER ${lineNumber} is used twice in invoice ${state.number}; it must be unique within the invoice`,
      );
    else state.lineNumbers.add(lineNumber);
  }
  const rawType = reader.required(F['EXP/FEE/INV_ADJ_TYPE'], 'on every line');
  const type = rawType !== null && isLineType(rawType) ? rawType : null;
  if (rawType !== null && type === null)
    problems.error(
      line,
      'EXP/FEE/INV_ADJ_TYPE',
      'INVALID_LINE_TYPE',
      `"${rawType}" is not a line type (F, E, IF or IE)`,
    );

  const date = reader.date(F.LINE_ITEM_DATE, 'on every line');
  if (date !== null && state.periodStart !== null && state.periodEnd !== null)
    if (date < state.periodStart || date > state.periodEnd)
      problems.error(
        line,
        'LINE_ITEM_DATE',
        'LINE_DATE_OUTSIDE_PERIOD',
        `LINE_ITEM_DATE ${date} is outside the billing period ${state.periodStart}–${state.periodEnd}`,
      );

  if (type === 'F') {
    reader.required(F.TIMEKEEPER_ID, 'on fee lines');
    reader.required(F.TIMEKEEPER_NAME, 'on fee lines');
    reader.required(F.TIMEKEEPER_CLASSIFICATION, 'on fee lines');
  }
  checkCodes(reader, problems);
  if (ctx.international) checkCurrency(reader, problems, state);

  if (type === null) {
    // Without a type the required amounts are unknown, so the invoice sums cannot be checked.
    state.lineSum = null;
    state.taxSum = null;
    return;
  }
  checkAmounts(ctx, state, type);
}

/** Units, cost, adjustment and total (and 98BI tax): formats, line arithmetic, running sums. */
function checkAmounts(ctx: LineContext, state: InvoiceState, type: LedesLineType): void {
  const { reader, problems } = ctx;
  const line = reader.line;
  const charge = type === 'F' || type === 'E';
  const why = charge ? `on ${type === 'F' ? 'fee' : 'expense'} lines` : null;
  const units = reader.number(F.LINE_ITEM_NUMBER_OF_UNITS, why);
  if (units != null && units < 0)
    problems.error(
      line,
      'LINE_ITEM_NUMBER_OF_UNITS',
      'NEGATIVE_UNITS',
      'Units must not be negative; put a credit in LINE_ITEM_ADJUSTMENT_AMOUNT',
    );
  const cost = reader.number(F.LINE_ITEM_UNIT_COST, why);
  const adjustment = reader.number(F.LINE_ITEM_ADJUSTMENT_AMOUNT, null);
  const total = reader.number(F.LINE_ITEM_TOTAL, 'on every line');
  const tax = ctx.international ? reader.number(F.LINE_ITEM_TAX_TOTAL, null) : undefined;
  if (units === null || cost === null || adjustment === null || total == null || tax === null) {
    state.lineSum = null;
    state.taxSum = null;
    return;
  }
  const taxCents = tax === undefined ? 0 : scaledToCents(tax);
  const totalCents = scaledToCents(total);
  const adjustmentCents = adjustment === undefined ? 0 : scaledToCents(adjustment);
  const extended = mulDivRoundHalfUp(units ?? 0, cost ?? 0, PRODUCT_TO_CENTS);
  if (extended === null || !Number.isSafeInteger(extended + adjustmentCents + taxCents)) {
    problems.error(
      line,
      'LINE_ITEM_TOTAL',
      'INVALID_NUMBER',
      'Units × unit cost is too large to check',
    );
    state.lineSum = null;
    state.taxSum = null;
    return;
  }
  // LINE_ITEM_TOTAL = units × unit cost + adjustment (+ tax in 98BI). On IF/IE lines the spec
  // ignores the units and carries the amount in the adjustment, so that reading is accepted too.
  let net = extended + adjustmentCents;
  if (net + taxCents !== totalCents && !charge && adjustmentCents + taxCents === totalCents)
    net = adjustmentCents;
  if (net + taxCents !== totalCents) {
    const formula = `${reader.text(F.LINE_ITEM_NUMBER_OF_UNITS) || '0'} × ${reader.text(F.LINE_ITEM_UNIT_COST) || '0'} + ${reader.text(F.LINE_ITEM_ADJUSTMENT_AMOUNT) || '0'}${ctx.international ? ` + tax ${formatMoney(taxCents)}` : ''}`;
    problems.error(
      line,
      'LINE_ITEM_TOTAL',
      'LINE_TOTAL_MISMATCH',
      `LINE_ITEM_TOTAL ${formatMoney(totalCents)} is not ${formula} = ${formatMoney(net + taxCents)}`,
    );
  }
  state.lineSum = addSafely(state.lineSum, totalCents);
  if (ctx.international) {
    state.taxSum = addSafely(state.taxSum, taxCents);
    checkTax(reader, problems, net, taxCents);
  }
  if (charge) checkDuplicate(ctx, state, type, units ?? 0, cost ?? 0);
}

function checkCodes(reader: FieldReader, problems: ProblemList): void {
  const task = reader.text(F.LINE_ITEM_TASK_CODE);
  if (task !== '' && !isValidTaskCode(task, 'any'))
    problems.error(
      reader.line,
      'LINE_ITEM_TASK_CODE',
      'UNKNOWN_TASK_CODE',
      `"${task}" is not a UTBMS task code`,
    );
  const activity = reader.text(F.LINE_ITEM_ACTIVITY_CODE);
  if (activity !== '' && !isValidActivityCode(activity))
    problems.error(
      reader.line,
      'LINE_ITEM_ACTIVITY_CODE',
      'UNKNOWN_ACTIVITY_CODE',
      `"${activity}" is not a UTBMS activity code (A101–A111)`,
    );
  const expense = reader.text(F.LINE_ITEM_EXPENSE_CODE);
  if (expense !== '' && !isValidExpenseCode(expense))
    problems.error(
      reader.line,
      'LINE_ITEM_EXPENSE_CODE',
      'UNKNOWN_EXPENSE_CODE',
      `"${expense}" is not a UTBMS expense code (E101–E124)`,
    );
}

function checkCurrency(reader: FieldReader, problems: ProblemList, state: InvoiceState): void {
  const currency = reader.text(F.INVOICE_CURRENCY);
  if (currency === state.currency) return;
  state.reported ??= new Set();
  if (state.reported.has(`currency\u0000${currency}`)) return;
  state.reported.add(`currency\u0000${currency}`);
  problems.error(
    reader.line,
    'INVOICE_CURRENCY',
    'MIXED_CURRENCIES',
    `Invoice ${state.number} mixes currencies (${state.currency || 'none'} and ${currency || 'none'})`,
  );
}

/** 98BI: LINE_ITEM_TAX_TOTAL = round-half-up((units × cost + adjustment) × LINE_ITEM_TAX_RATE). */
function checkTax(reader: FieldReader, problems: ProblemList, net: number, taxCents: number): void {
  const rateText = reader.text(F.LINE_ITEM_TAX_RATE);
  const rate = rateText === '' ? 0 : readDecimal(rateText, READ_TAX_RATE_SCALE);
  if (rate === null) {
    problems.error(
      reader.line,
      'LINE_ITEM_TAX_RATE',
      'INVALID_NUMBER',
      `LINE_ITEM_TAX_RATE "${rateText}" is not a decimal fraction`,
    );
    return;
  }
  // Exact either way: plain integers while net × rate is a safe integer, BigInt beyond.
  const expected = mulDivRoundHalfUp(net, rate, TAX_RATE_DIVISOR);
  if (expected === null) {
    problems.error(
      reader.line,
      'LINE_ITEM_TAX_RATE',
      'INVALID_NUMBER',
      `LINE_ITEM_TAX_RATE "${rateText}" is too large to check`,
    );
    return;
  }
  if (expected !== taxCents)
    problems.error(
      reader.line,
      'LINE_ITEM_TAX_TOTAL',
      'LINE_TAX_MISMATCH',
      `LINE_ITEM_TAX_TOTAL ${formatMoney(taxCents)} is not ${formatMoney(net)} × ${rateText || '0'} = ${formatMoney(expected)}`,
    );
}

/** Same invoice, type, date, timekeeper, units, cost and narrative: a charge billed twice. */
function checkDuplicate(
  ctx: LineContext,
  state: InvoiceState,
  type: string,
  units: number,
  cost: number,
): void {
  const { reader } = ctx;
  const key = chargeKey(
    state.number,
    type,
    reader.text(F.LINE_ITEM_DATE),
    reader.text(F.TIMEKEEPER_ID),
    units,
    cost,
    reader.text(F.LINE_ITEM_DESCRIPTION),
  );
  const first = ctx.charges.get(key);
  if (first === undefined) ctx.charges.set(key, reader.line);
  else
    ctx.problems.warning(
      reader.line,
      null,
      'DUPLICATE_LINE',
      `This line repeats line ${first} (same type, date, timekeeper, units, cost and description): a charge billed twice?`,
    );
}

/** Adds to a running total, giving up (null) rather than losing precision beyond a safe integer. */
function addSafely(sum: number | null, value: number): number | null {
  if (sum === null) return null;
  const next = sum + value;
  return Number.isSafeInteger(next) ? next : null;
}
