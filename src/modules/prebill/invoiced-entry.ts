/**
 * Corrections to time that sits on an invoice. Work stays `released` while its invoice is
 * prepared (it becomes `billed`, and frozen by the database, only when the invoice is approved),
 * so the time entry service asks here before changing an entry that a live invoice line bills:
 *
 * - on a draft or in exception, or while a question to its timekeeper is open, the hours,
 *   narrative and codes may change, and the line follows (recorded as `timekeeper_correction`
 *   adjustments) unless a reviewer already changed that billed value;
 * - anything else about invoiced work, or any change while the invoice is in review or later,
 *   is refused: the reviewer changes the line, or sends the entry back with a question.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../domain/errors.js';
import { feeAmount, formatHours, parseHours } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import * as repo from '../invoices/invoices.repository.js';
import {
  actorIdOf,
  finishEdit,
  snapshotOf,
  valuesOf,
  withValues,
  type LineSnapshot,
} from './prebill-edit.js';
import * as prebillRepo from './prebill.repository.js';
import { findOpenQuestionsForEntry } from './questions.repository.js';

/** The recorded values of an entry that a timekeeper may correct while it is invoiced. */
export interface EntryValues {
  id: number;
  entry_id: string;
  timekeeper_id: number;
  hours: string;
  narrative: string;
  task_code: string | null;
  activity_code: string | null;
}

const CORRECTABLE = new Set(['hours', 'narrative', 'task_code', 'activity_code']);

/**
 * Checks an edit of `before` into `after` against the invoice that bills the entry, if any, and
 * when it is allowed brings that invoice's line along in the same transaction.
 */
export async function followInvoicedEntry(
  trx: Kysely<DB>,
  actor: Actor,
  before: EntryValues,
  after: EntryValues,
  changedFields: readonly string[],
  now: Date,
): Promise<void> {
  const line = await trx
    .selectFrom('invoice_line as l')
    .innerJoin('invoice as i', 'i.id', 'l.invoice_id')
    .select(['l.id', 'l.invoice_id', 'i.invoice_number', 'i.state', 'i.previous_state'])
    .where('l.time_entry_id', '=', before.id)
    .where('l.disposition', 'in', ['bill', 'no_charge'])
    .where('i.state', '<>', 'void')
    .executeTakeFirst();
  if (!line) return;
  const invoiceId = Number(line.invoice_id);
  // A draft, and an invoice held in exception (fixing the entry is how a block clears), take
  // corrections as they come.
  const draft = line.state === 'draft' || line.state === 'exception';
  const questions =
    line.state === 'waiting_on_timekeeper'
      ? await findOpenQuestionsForEntry(trx, invoiceId, before.id, before.timekeeper_id)
      : [];
  if (!draft && questions.length === 0)
    throw new AppError(
      'conflict',
      'WORK_ON_INVOICE',
      `Time entry ${before.entry_id} is on invoice ${line.invoice_number}, which is ${line.state}; the reviewer changes the invoice line, or sends the entry back to you with a question.`,
      { invoice_number: line.invoice_number, state: line.state },
    );
  const refused = changedFields.filter((field) => !CORRECTABLE.has(field));
  if (refused.length > 0)
    throw new AppError(
      'conflict',
      'WORK_ON_INVOICE',
      `Time entry ${before.entry_id} is on invoice ${line.invoice_number}: only its hours, narrative and codes can change (not ${refused.join(', ')}).`,
      { invoice_number: line.invoice_number, fields: refused },
    );
  await refreshLine(trx, actor, invoiceId, Number(line.id), before, after, now);
}

async function refreshLine(
  trx: Kysely<DB>,
  actor: Actor,
  invoiceId: number,
  lineId: number,
  before: EntryValues,
  after: EntryValues,
  now: Date,
): Promise<void> {
  const invoice = (await repo.findInvoiceById(trx, invoiceId))!;
  const line = (await prebillRepo.findLineForUpdate(trx, invoiceId, lineId))!;
  const ctx = { trx, actor, actorId: actorIdOf(actor), now, invoice };
  const oldUnits = parseHours(before.hours) ?? 0;
  const newUnits = parseHours(after.hours) ?? 0;
  const workedRate = Number(line.worked_unit_cost_cents ?? line.unit_cost_cents);
  const billedBefore = snapshotOf(line);
  let billed: LineSnapshot = billedBefore;
  const changes: { field: string; before: unknown; after: unknown; amount: number }[] = [];
  const pending = (await prebillRepo.countPendingOnLine(trx, lineId)) > 0;
  // A billed value follows the correction only where no reviewer changed it.
  const values = valuesOf(billedBefore);
  if (newUnits !== oldUnits && values.units === oldUnits && !pending) {
    const adjustment =
      billedBefore.disposition === 'no_charge'
        ? -feeAmount(newUnits, values.unitCost)
        : values.adjustment;
    billed = withValues(billedBefore, { ...values, units: newUnits, adjustment });
    changes.push({
      field: 'hours',
      before: billedBefore,
      after: billed,
      amount: billed.amount_cents - billedBefore.amount_cents,
    });
  }
  for (const [field, column] of [
    ['narrative', 'description'],
    ['task_code', 'task_code'],
    ['activity_code', 'activity_code'],
  ] as const) {
    if (after[field] === before[field] || billed[column] !== before[field]) continue;
    changes.push({
      field,
      before: { [field]: before[field] },
      after: { [field]: after[field] },
      amount: 0,
    });
    billed = { ...billed, [column]: after[field] };
  }
  await prebillRepo.updateLine(
    trx,
    lineId,
    {
      units: billed.units,
      adjustment_cents: billed.adjustment_cents,
      amount_cents: billed.amount_cents,
      description: billed.description,
      task_code: billed.task_code,
      activity_code: billed.activity_code,
      worked_units: formatHours(newUnits),
      worked_amount_cents: feeAmount(newUnits, workedRate),
    },
    now,
  );
  for (const change of changes)
    await prebillRepo.insertAdjustment(trx, {
      invoice_id: invoiceId,
      invoice_line_id: lineId,
      kind: 'edit',
      field: change.field,
      before: JSON.stringify(change.before),
      after: JSON.stringify(change.after),
      amount_cents: change.amount,
      reason_code: 'timekeeper_correction',
      state: 'applied',
      requested_by: ctx.actorId,
      requested_at: now,
    });
  await finishEdit(ctx, {
    action: 'invoice.line_refresh',
    before: { line_id: lineId, entry: before, line: billedBefore },
    after: { line_id: lineId, entry: after, line: billed, fields: changes.map((c) => c.field) },
    reason: 'timekeeper_correction',
  });
}
