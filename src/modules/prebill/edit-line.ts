/**
 * Pre-bill line edits. The time entry or expense keeps what was recorded; the line carries the
 * billed values, and every difference is an invoice_adjustment row with the values before and
 * after, who asked, when and why (a reason code). A change that lowers the bill is a write-down
 * and may need the next approval level (see `needsApproval`); it is applied at once and undone
 * if rejected.
 */
import type { AppContext } from '../../config/context.js';
import { AppError, notFound, validationError } from '../../domain/errors.js';
import { feeAmount, parseHours, parseMoney } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import { visibleMatterIds } from '../matters/matter-access.js';
import type * as repo from '../invoices/invoices.repository.js';
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
  type LineSnapshot,
} from './prebill-edit.js';
import * as prebillRepo from './prebill.repository.js';

export interface Reasoned {
  version: number;
  reason_code: string;
  note?: string | undefined;
}

export interface LineValuesEdit extends Reasoned {
  hours?: string | undefined;
  rate?: string | undefined;
  narrative?: string | undefined;
  task_code?: string | null | undefined;
  activity_code?: string | null | undefined;
  internal_note?: string | null | undefined;
}

export type Disposition = 'bill' | 'no_charge' | 'exclude' | 'hold';

const LIVE = new Set(['bill', 'no_charge']);

function refuse(code: string, message: string): never {
  throw new AppError('conflict', code, message);
}

/** Kind of an adjustment by its effect on the bill. */
const kindOf = (delta: number) => (delta < 0 ? 'write_down' : delta > 0 ? 'write_up' : 'edit');

/** Records one adjustment; a write-down above the thresholds is pending, the rest applied. */
async function record(
  ctx: EditContext,
  line: repo.InvoiceLineRow,
  change: {
    kind: string;
    field: string;
    before: unknown;
    after: unknown;
    amount: number;
    reasonCode: string;
    note: string | null;
  },
): Promise<'pending' | 'applied'> {
  const pending = change.kind === 'write_down' && (await needsApproval(ctx, -change.amount));
  const state = pending ? 'pending' : 'applied';
  await prebillRepo.insertAdjustment(ctx.trx, {
    invoice_id: ctx.invoice.id,
    invoice_line_id: Number(line.id),
    kind: change.kind,
    field: change.field,
    before: JSON.stringify(change.before),
    after: JSON.stringify(change.after),
    amount_cents: change.amount,
    reason_code: change.reasonCode,
    note: change.note,
    state,
    requested_by: ctx.actorId,
    requested_at: ctx.now,
  });
  return state;
}

async function writeSnapshot(ctx: EditContext, line: repo.InvoiceLineRow, next: LineSnapshot) {
  await prebillRepo.updateLine(
    ctx.trx,
    Number(line.id),
    {
      units: next.units,
      unit_cost_cents: next.unit_cost_cents,
      adjustment_cents: next.adjustment_cents,
      amount_cents: next.amount_cents,
      disposition: next.disposition,
      description: next.description,
      task_code: next.task_code,
      activity_code: next.activity_code,
      expense_code: next.expense_code,
      moved_to_matter_id: next.moved_to_matter_id,
    },
    ctx.now,
  );
}

/** Changes a live line's hours, rate, narrative, UTBMS codes or internal note. */
export async function editLineValues(
  app: AppContext,
  actor: Actor,
  invoiceId: number,
  lineId: number,
  input: LineValuesEdit,
): Promise<void> {
  await app.db.transaction().execute(async (trx) => {
    const ctx = await openForEdit(trx, actor, invoiceId, input.version, app.now());
    const line = await lockLine(ctx, lineId);
    const note = await checkReason(trx, input.reason_code, input.note);
    if (!LIVE.has(line.disposition))
      refuse('LINE_NOT_LIVE', `Line ${line.line_number} is ${line.disposition}; restore it first.`);
    const isFee = line.line_type === 'F';
    const issues = [];
    if (!isFee)
      for (const field of ['hours', 'rate', 'task_code', 'activity_code'] as const)
        if (input[field] !== undefined)
          issues.push({ field, message: `only fee lines have ${field.replace('_', ' ')}` });
    if (line.line_type !== 'F' && line.line_type !== 'E' && input.narrative !== undefined)
      issues.push({ field: 'narrative', message: 'only fee and expense lines have a narrative' });
    const units = input.hours === undefined ? undefined : parseHours(input.hours);
    if (units === null || (units !== undefined && (units <= 0 || units > 99999)))
      issues.push({ field: 'hours', message: 'must be a positive number of hours, e.g. "1.25"' });
    const rate = input.rate === undefined ? undefined : parseMoney(input.rate);
    if (rate === null || (rate !== undefined && rate < 0))
      issues.push({ field: 'rate', message: 'must be an amount, e.g. "450.00"' });
    if (issues.length > 0)
      throw validationError('LINE_EDIT_INVALID', 'The line edit is not valid.', issues);

    const before = snapshotOf(line);
    let next = before;
    const changes = [];
    if (units !== undefined || rate !== undefined) {
      const values = valuesOf(before);
      const u = units ?? values.units;
      const r = rate ?? values.unitCost;
      // A line at no charge stays at no charge: its adjustment keeps cancelling the amount.
      const adjustment = before.disposition === 'no_charge' ? -feeAmount(u, r) : values.adjustment;
      next = withValues(before, { units: u, unitCost: r, adjustment });
      const fields = [
        ...(units !== undefined && u !== values.units ? ['hours'] : []),
        ...(rate !== undefined && r !== values.unitCost ? ['rate'] : []),
      ];
      if (fields.length > 0) {
        const amount = next.amount_cents - before.amount_cents;
        changes.push({
          kind: kindOf(amount),
          field: fields.join('+'),
          before,
          after: next,
          amount,
        });
      }
    }
    for (const [field, column] of [
      ['narrative', 'description'],
      ['task_code', 'task_code'],
      ['activity_code', 'activity_code'],
    ] as const) {
      const value = input[field];
      if (value === undefined || value === next[column]) continue;
      const after = { ...next, [column]: value };
      changes.push({
        kind: 'edit',
        field,
        before: { [field]: next[column] },
        after: { [field]: value },
        amount: 0,
      });
      next = after;
    }
    const noteChanged =
      input.internal_note !== undefined && input.internal_note !== line.internal_note;
    if (changes.length === 0 && !noteChanged) return;
    await writeSnapshot(ctx, line, next);
    if (noteChanged)
      await prebillRepo.updateLine(
        trx,
        lineId,
        { internal_note: input.internal_note ?? null },
        ctx.now,
      );
    const states = [];
    for (const change of changes)
      states.push(await record(ctx, line, { ...change, reasonCode: input.reason_code, note }));
    await finishEdit(ctx, {
      action: 'invoice.line_edit',
      before: { line_id: lineId, line: before },
      after: {
        line_id: lineId,
        line: next,
        fields: changes.map((c) => c.field),
        pending: states.includes('pending'),
        ...(noteChanged ? { internal_note_changed: true } : {}),
      },
      reason: input.reason_code,
    });
  });
}

/**
 * Sets a line's disposition: `bill`, `no_charge` (kept on the invoice at 0), `exclude` (off the
 * invoice and never billed by a bill run) or `hold` (off this invoice; a bill run for a later
 * period bills it, and a refresh of this one leaves it out). Excluded lines can be restored.
 */
export async function setLineDisposition(
  app: AppContext,
  actor: Actor,
  invoiceId: number,
  lineId: number,
  input: Reasoned & { disposition: Disposition },
): Promise<void> {
  await app.db.transaction().execute(async (trx) => {
    const ctx = await openForEdit(trx, actor, invoiceId, input.version, app.now());
    const line = await lockLine(ctx, lineId);
    const note = await checkReason(trx, input.reason_code, input.note);
    const from = line.disposition;
    const to = input.disposition;
    if (from === to) return;
    if (from === 'hold' || from === 'moved')
      refuse('LINE_LEFT_INVOICE', `Line ${line.line_number} has left this invoice (${from}).`);
    if (to === 'hold' && line.time_entry_id === null && line.expense_id === null)
      refuse(
        'LINE_NOT_WORK',
        `Line ${line.line_number} bills no time entry or expense; it cannot be held.`,
      );
    if (line.line_type === 'IF' || line.line_type === 'IE')
      refuse('LINE_NOT_WORK', `Line ${line.line_number} is an invoice-level adjustment.`);

    const before = snapshotOf(line);
    const values = valuesOf(before);
    let next: LineSnapshot = { ...before, disposition: to };
    if (to === 'no_charge')
      next = {
        ...withValues(before, { ...values, adjustment: -feeAmount(values.units, values.unitCost) }),
        disposition: to,
      };
    // Back to bill from no charge (directly or by way of exclude): the adjustment that cancelled
    // the amount goes, so the line bills what its units and rate say.
    else if (to === 'bill' && values.adjustment === -feeAmount(values.units, values.unitCost))
      next = { ...withValues(before, { ...values, adjustment: 0 }), disposition: to };
    // The change in what the invoice bills: lines count only while bill or no_charge.
    const billed = (s: LineSnapshot) => (LIVE.has(s.disposition) ? s.amount_cents : 0);
    const amount = billed(next) - billed(before);
    try {
      await writeSnapshot(ctx, line, next);
    } catch (error) {
      // The partial unique index keeps a piece of work on one live line.
      if ((error as { code?: string }).code === '23505')
        refuse(
          'WORK_ALREADY_ON_INVOICE',
          `The work of line ${line.line_number} is billed on another invoice now.`,
        );
      throw error;
    }
    const kind = to === 'hold' ? 'edit' : kindOf(amount);
    const state = await record(ctx, line, {
      kind,
      field: 'disposition',
      before,
      after: next,
      amount,
      reasonCode: input.reason_code,
      note,
    });
    await finishEdit(ctx, {
      action: 'invoice.line_disposition',
      before: { line_id: lineId, disposition: from, amount_cents: billed(before) },
      after: {
        line_id: lineId,
        disposition: to,
        amount_cents: billed(next),
        pending: state === 'pending',
      },
      reason: input.reason_code,
    });
  });
}

/**
 * Moves a line's work to another matter: it leaves this invoice and becomes unbilled work of
 * the target matter, which that matter's next bill run picks up. The time entry or expense
 * keeps the matter it was recorded on; the line remembers where it went.
 */
export async function moveLine(
  app: AppContext,
  actor: Actor,
  invoiceId: number,
  lineId: number,
  input: Reasoned & { matter_code: string },
): Promise<void> {
  await app.db.transaction().execute(async (trx) => {
    const ctx = await openForEdit(trx, actor, invoiceId, input.version, app.now());
    const line = await lockLine(ctx, lineId);
    const note = await checkReason(trx, input.reason_code, input.note);
    if (!LIVE.has(line.disposition))
      refuse(
        'LINE_NOT_LIVE',
        `Line ${line.line_number} is ${line.disposition}; only a billed line can move.`,
      );
    if (line.time_entry_id === null && line.expense_id === null)
      refuse(
        'LINE_NOT_WORK',
        `Line ${line.line_number} bills no time entry or expense; it cannot move.`,
      );
    const target = await trx
      .selectFrom('matter')
      .select(['id', 'matter_code', 'status'])
      .where('matter_code', '=', input.matter_code)
      .where('id', 'in', visibleMatterIds(trx, actor, 'work'))
      .executeTakeFirst();
    if (!target) throw notFound('MATTER_NOT_FOUND', `No matter ${input.matter_code}.`);
    if (Number(target.id) === ctx.invoice.matter_id)
      throw validationError('MATTER_UNCHANGED', 'The line is already on that matter.', [
        { field: 'matter_code', message: 'must name another matter' },
      ]);
    if (target.status === 'closed')
      refuse('MATTER_CLOSED', `Matter ${target.matter_code} is closed; its work cannot be billed.`);
    const before = snapshotOf(line);
    const next: LineSnapshot = {
      ...before,
      disposition: 'moved',
      moved_to_matter_id: Number(target.id),
    };
    await writeSnapshot(ctx, line, next);
    const amount = LIVE.has(before.disposition) ? -before.amount_cents : 0;
    await record(ctx, line, {
      kind: 'edit',
      field: 'matter',
      before: { ...before, matter_code: ctx.invoice.matter_code },
      after: { ...next, matter_code: target.matter_code },
      amount,
      reasonCode: input.reason_code,
      note,
    });
    await finishEdit(ctx, {
      action: 'invoice.line_move',
      before: {
        line_id: lineId,
        matter_code: ctx.invoice.matter_code,
        amount_cents: before.amount_cents,
      },
      after: { line_id: lineId, matter_code: target.matter_code, amount_cents: 0 },
      reason: input.reason_code,
    });
  });
}
