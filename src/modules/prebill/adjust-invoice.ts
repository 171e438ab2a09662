/**
 * Write-downs, write-ups and discounts by a reviewer, on one line or on the whole invoice, by
 * an amount, a percent or (on a fee line) hours. A line-level one changes the line's billed
 * values; an invoice-level one is its own IF line (0 units, the amount in the adjustment, as
 * LEDES writes invoice-level adjustments). Each is an invoice_adjustment row with its reason
 * code; a write-down or discount above the thresholds waits in `pending` for the next approval
 * level, and blocks the final sign-off until then.
 */
import type { AppContext } from '../../config/context.js';
import { AppError, validationError } from '../../domain/errors.js';
import {
  divideRoundHalfUp,
  formatHours,
  parseHours,
  parseMoney,
  parseScaled,
} from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import {
  checkReason,
  finishEdit,
  lockLine,
  needsApproval,
  openForEdit,
  snapshotOf,
  valuesOf,
  withValues,
  type EditContext,
} from './prebill-edit.js';
import * as prebillRepo from './prebill.repository.js';

export type AdjustmentKind = 'write_down' | 'write_up' | 'discount';

export interface AdjustInput {
  version: number;
  kind: AdjustmentKind;
  line_id?: number | undefined;
  /** Exactly one of amount (decimal string), percent (decimal string) or hours. */
  amount?: string | undefined;
  percent?: string | undefined;
  hours?: string | undefined;
  reason_code: string;
  note?: string | undefined;
}

const LABEL: Record<AdjustmentKind, string> = {
  write_down: 'Write-down',
  write_up: 'Write-up',
  discount: 'Discount',
};

/** Records a write-down, write-up or discount; returns its id and state. */
export async function adjustInvoice(
  app: AppContext,
  actor: Actor,
  invoiceId: number,
  input: AdjustInput,
): Promise<{ id: number; state: 'pending' | 'applied' }> {
  const given = (['amount', 'percent', 'hours'] as const).filter((k) => input[k] !== undefined);
  if (given.length !== 1)
    throw validationError(
      'ADJUSTMENT_BASIS_INVALID',
      'Give exactly one of amount, percent or hours.',
      [{ field: given[1] ?? 'amount', message: 'give exactly one of amount, percent or hours' }],
    );
  return app.db.transaction().execute(async (trx) => {
    const ctx = await openForEdit(trx, actor, invoiceId, input.version, app.now());
    const note = await checkReason(trx, input.reason_code, input.note);
    return input.line_id === undefined
      ? invoiceLevel(ctx, input, note)
      : lineLevel(ctx, input.line_id, input, note);
  });
}

/** The signed change to the bill: negative for write-downs and discounts. */
export const signed = (kind: AdjustmentKind, cents: number) =>
  kind === 'write_up' ? cents : -cents;

function parseBasis(input: AdjustInput): { amount?: number; percent?: number; hours?: number } {
  if (input.amount !== undefined) {
    const cents = parseMoney(input.amount);
    if (cents === null || cents <= 0)
      throw validationError('ADJUSTMENT_INVALID', 'The amount is not valid.', [
        { field: 'amount', message: 'must be a positive amount, e.g. "250.00"' },
      ]);
    return { amount: cents };
  }
  if (input.percent !== undefined) {
    const hundredths = parseScaled(input.percent, 2);
    if (hundredths === null || hundredths <= 0 || hundredths > 10000)
      throw validationError('ADJUSTMENT_INVALID', 'The percent is not valid.', [
        { field: 'percent', message: 'must be above 0 and at most 100, e.g. "12.5"' },
      ]);
    return { percent: hundredths };
  }
  const hours = parseHours(input.hours!);
  if (hours === null || hours <= 0)
    throw validationError('ADJUSTMENT_INVALID', 'The hours are not valid.', [
      { field: 'hours', message: 'must be a positive number of hours, e.g. "0.50"' },
    ]);
  return { hours };
}

/** `base` × percent (in hundredths of a percent), rounded half-up to the cent. */
export const percentOf = (base: number, hundredths: number) =>
  divideRoundHalfUp(BigInt(base) * BigInt(hundredths), 10000n);

async function lineLevel(
  ctx: EditContext,
  lineId: number,
  input: AdjustInput,
  note: string | null,
) {
  const line = await lockLine(ctx, lineId);
  if (line.disposition !== 'bill')
    throw new AppError(
      'conflict',
      'LINE_NOT_BILLED',
      `Line ${line.line_number} is ${line.disposition}; only a billed line can be written down or up.`,
    );
  const basis = parseBasis(input);
  const before = snapshotOf(line);
  const values = valuesOf(before);
  let after;
  if (basis.hours !== undefined) {
    if (line.line_type !== 'F')
      throw validationError('ADJUSTMENT_INVALID', 'Only fee lines have hours.', [
        { field: 'hours', message: 'use amount or percent on this line' },
      ]);
    const units = values.units + signed(input.kind, basis.hours);
    if (units < 0)
      throw validationError('ADJUSTMENT_TOO_LARGE', 'The line has fewer hours than that.', [
        { field: 'hours', message: `at most ${formatHours(values.units)}` },
      ]);
    after = withValues(before, { ...values, units });
  } else {
    const cents = basis.amount ?? percentOf(before.amount_cents, basis.percent!);
    after = withValues(before, {
      ...values,
      adjustment: values.adjustment + signed(input.kind, cents),
    });
  }
  if (after.amount_cents < 0)
    throw validationError('ADJUSTMENT_TOO_LARGE', 'The line would bill less than nothing.', [
      {
        field: input.amount !== undefined ? 'amount' : 'percent',
        message: `at most the line's ${before.amount_cents} cents`,
      },
    ]);
  const change = after.amount_cents - before.amount_cents;
  const pending = input.kind !== 'write_up' && (await needsApproval(ctx, -change));
  await prebillRepo.updateLine(
    ctx.trx,
    lineId,
    {
      units: after.units,
      adjustment_cents: after.adjustment_cents,
      amount_cents: after.amount_cents,
    },
    ctx.now,
  );
  const id = await prebillRepo.insertAdjustment(ctx.trx, {
    invoice_id: ctx.invoice.id,
    invoice_line_id: lineId,
    kind: input.kind,
    field: basis.hours !== undefined ? 'hours' : 'amount',
    before: JSON.stringify({ ...before, basis: basisJson(input) }),
    after: JSON.stringify(after),
    amount_cents: change,
    reason_code: input.reason_code,
    note,
    state: pending ? 'pending' : 'applied',
    requested_by: ctx.actorId,
    requested_at: ctx.now,
  });
  await finishEdit(ctx, {
    action: `invoice.${input.kind}`,
    before: { line_id: lineId, amount_cents: before.amount_cents },
    after: { line_id: lineId, amount_cents: after.amount_cents, adjustment_id: id, pending },
    reason: input.reason_code,
  });
  return { id, state: pending ? ('pending' as const) : ('applied' as const) };
}

async function invoiceLevel(ctx: EditContext, input: AdjustInput, note: string | null) {
  const basis = parseBasis(input);
  if (basis.hours !== undefined)
    throw validationError('ADJUSTMENT_INVALID', 'Hours apply to a fee line, not the invoice.', [
      { field: 'hours', message: 'give line_id, or use amount or percent' },
    ]);
  // Percent of the fees billed, so an invoice-level discount leaves expenses alone.
  const fees = Number(ctx.invoice.fees_cents);
  const cents = basis.amount ?? percentOf(fees, basis.percent!);
  const change = signed(input.kind, cents);
  if (Number(ctx.invoice.total_cents) + change < 0)
    throw validationError('ADJUSTMENT_TOO_LARGE', 'The invoice would bill less than nothing.', [
      {
        field: input.amount !== undefined ? 'amount' : 'percent',
        message: `at most the invoice total of ${ctx.invoice.total_cents} cents`,
      },
    ]);
  const pending = input.kind !== 'write_up' && (await needsApproval(ctx, -change));
  const lineNumber = await prebillRepo.nextLineNumber(ctx.trx, ctx.invoice.id);
  const reason = await prebillRepo.findReason(ctx.trx, input.reason_code);
  const [line] = await ctx.trx
    .insertInto('invoice_line')
    .values({
      invoice_id: ctx.invoice.id,
      line_number: lineNumber,
      line_type: 'IF',
      description: `${LABEL[input.kind]}: ${reason!.label}`,
      units: '0.00',
      unit_cost_cents: 0,
      adjustment_cents: change,
      amount_cents: change,
      purpose: input.kind,
    })
    .returning('id')
    .execute();
  const lineId = Number(line!.id);
  const id = await prebillRepo.insertAdjustment(ctx.trx, {
    invoice_id: ctx.invoice.id,
    invoice_line_id: lineId,
    kind: input.kind,
    field: 'invoice',
    before: JSON.stringify({
      fees_cents: fees,
      total_cents: Number(ctx.invoice.total_cents),
      basis: basisJson(input),
    }),
    after: JSON.stringify({ total_cents: Number(ctx.invoice.total_cents) + change }),
    amount_cents: change,
    reason_code: input.reason_code,
    note,
    state: pending ? 'pending' : 'applied',
    requested_by: ctx.actorId,
    requested_at: ctx.now,
  });
  await finishEdit(ctx, {
    action: `invoice.${input.kind}`,
    before: { line_id: null },
    after: { line_id: lineId, amount_cents: change, adjustment_id: id, pending },
    reason: input.reason_code,
  });
  return { id, state: pending ? ('pending' as const) : ('applied' as const) };
}

function basisJson(input: AdjustInput) {
  if (input.amount !== undefined) return { amount: input.amount };
  if (input.percent !== undefined) return { percent: input.percent };
  return { hours: input.hours };
}
