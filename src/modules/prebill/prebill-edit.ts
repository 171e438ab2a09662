/**
 * What every pre-bill edit shares: open the invoice for editing (behind the matter walls, at the
 * version the editor read, in a stage and by a role that reviews, locked for the transaction),
 * check the reason code, decide whether a write-down needs the next approval level, and finish
 * (totals from the lines, the fee cap, the version, the audit event).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError, notFound, staleVersion, validationError } from '../../domain/errors.js';
import { feeAmount, formatHours, parseScaled } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import type { Role } from '../../domain/roles.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as repo from '../invoices/invoices.repository.js';
import { refreshCap } from '../invoices/revalue-invoice.js';
import * as prebillRepo from './prebill.repository.js';

/**
 * Stages in which the lines of an invoice may be edited, and who may edit them there. Review
 * (draft, in_review, and exception raised from them) is the billing coordinator's and the
 * approver's; once review is complete only the approver signing off edits (write-downs at
 * sign-off); while the invoice waits on its timekeepers, only they change their work.
 */
export const EDITABLE_STAGES: Readonly<Record<string, readonly Role[]>> = {
  draft: ['billing_coordinator', 'approver'],
  in_review: ['billing_coordinator', 'approver'],
  exception: ['billing_coordinator', 'approver'],
  ready_for_approval: ['approver'],
};

/** The billed values of a line, as an adjustment's before and after record them. */
export interface LineSnapshot {
  units: string;
  unit_cost_cents: number;
  adjustment_cents: number;
  amount_cents: number;
  disposition: string;
  description: string;
  task_code: string | null;
  activity_code: string | null;
  expense_code: string | null;
  moved_to_matter_id: number | null;
}

export function snapshotOf(line: repo.InvoiceLineRow): LineSnapshot {
  return {
    units: line.units,
    unit_cost_cents: Number(line.unit_cost_cents),
    adjustment_cents: Number(line.adjustment_cents),
    amount_cents: Number(line.amount_cents),
    disposition: line.disposition,
    description: line.description,
    task_code: line.task_code,
    activity_code: line.activity_code,
    expense_code: line.expense_code,
    moved_to_matter_id: line.moved_to_matter_id === null ? null : Number(line.moved_to_matter_id),
  };
}

/** Units in hundredths, unit cost and adjustment in cents: the line's arithmetic in integers. */
export function valuesOf(
  line: Pick<LineSnapshot, 'units' | 'unit_cost_cents' | 'adjustment_cents'>,
) {
  return {
    units: parseScaled(line.units, 2) ?? 0,
    unitCost: line.unit_cost_cents,
    adjustment: line.adjustment_cents,
  };
}

/** A snapshot with new units, unit cost and adjustment; the amount follows LEDES arithmetic. */
export function withValues(
  snapshot: LineSnapshot,
  values: { units: number; unitCost: number; adjustment: number },
): LineSnapshot {
  return {
    ...snapshot,
    units: formatHours(values.units),
    unit_cost_cents: values.unitCost,
    adjustment_cents: values.adjustment,
    amount_cents: feeAmount(values.units, values.unitCost) + values.adjustment,
  };
}

/** What an edit works on once the invoice is open for it. */
export interface EditContext {
  trx: Kysely<DB>;
  actor: Actor;
  actorId: number | null;
  now: Date;
  invoice: repo.InvoiceRow;
}

export const actorIdOf = (actor: Actor) => (actor.via === 'system' ? null : Number(actor.userId));

/** Loads and locks the invoice for a pre-bill edit, or throws why it may not be edited. */
export async function openForEdit(
  trx: Kysely<DB>,
  actor: Actor,
  invoiceId: number,
  version: number,
  now: Date,
): Promise<EditContext> {
  const invoice = await repo.findVisibleInvoice(trx, actor, { id: invoiceId });
  if (!invoice) throw notFound('INVOICE_NOT_FOUND', `No invoice ${invoiceId}.`);
  await sql`select 1 from invoice where id = ${invoiceId} for update`.execute(trx);
  const current = (await repo.findInvoiceById(trx, invoiceId))!;
  if (current.version !== version) throw staleVersion('invoice', version, current.version);
  const stage =
    current.state === 'exception' &&
    current.previous_state !== 'draft' &&
    current.previous_state !== 'in_review'
      ? undefined
      : EDITABLE_STAGES[current.state];
  if (stage === undefined)
    throw new AppError(
      'conflict',
      'INVOICE_NOT_EDITABLE',
      `Invoice ${current.invoice_number} is ${current.state}; its lines can be edited in draft, in review, in an exception raised during review, or by the approver while it awaits approval.`,
      { state: current.state },
    );
  if (actor.via !== 'system' && !actor.roles.some((role) => stage.includes(role)))
    throw new AppError(
      'forbidden',
      'ROLE_NOT_ALLOWED',
      `Only ${stage.join(' or ')} may edit an invoice that is ${current.state}.`,
      { allowedRoles: stage },
    );
  return { trx, actor, actorId: actorIdOf(actor), now, invoice: current };
}

/** One line of the invoice, locked; 404 when the invoice has no such line. */
export async function lockLine(ctx: EditContext, lineId: number): Promise<repo.InvoiceLineRow> {
  const line = await prebillRepo.findLineForUpdate(ctx.trx, ctx.invoice.id, lineId);
  if (!line)
    throw notFound(
      'INVOICE_LINE_NOT_FOUND',
      `Invoice ${ctx.invoice.invoice_number} has no line ${lineId}.`,
    );
  if ((await prebillRepo.countPendingOnLine(ctx.trx, lineId)) > 0)
    throw new AppError(
      'conflict',
      'LINE_HAS_PENDING_ADJUSTMENT',
      `Line ${line.line_number} has a write-down awaiting approval; approve or reject it before editing the line again.`,
    );
  return line;
}

/** The reason code must be on the list and active; one that requires a note (`other`) gets one. */
export async function checkReason(
  trx: Kysely<DB>,
  reasonCode: string,
  note: string | undefined,
): Promise<string | null> {
  const reason = await prebillRepo.findReason(trx, reasonCode);
  if (!reason || !reason.active)
    throw validationError('REASON_CODE_INVALID', `"${reasonCode}" is not an active reason code.`, [
      {
        field: 'reason_code',
        message: 'must be an active code from GET /api/v1/adjustment-reasons',
      },
    ]);
  const trimmed = note?.trim() ?? '';
  if (reason.requires_note && trimmed === '')
    throw validationError('NOTE_REQUIRED', `Reason "${reasonCode}" needs a note saying why.`, [
      { field: 'note', message: `required with reason code ${reasonCode}` },
    ]);
  return trimmed === '' ? null : trimmed;
}

/**
 * Whether a write-down of `amountCents` (positive: how much the bill goes down) needs approval:
 * when the invoice's reviewer write-downs and discounts, pending or applied, including this one,
 * are above the amount threshold or above the percent threshold of the invoice's worked fees.
 * Exactly at a threshold is allowed without approval.
 */
export async function needsApproval(ctx: EditContext, amountCents: number): Promise<boolean> {
  if (amountCents <= 0) return false;
  const settings = await prebillRepo.findSettings(ctx.trx);
  const total = (await prebillRepo.sumWriteDowns(ctx.trx, ctx.invoice.id)) + amountCents;
  const limit = settings.write_down_approval_amount_cents;
  if (limit !== null && total > Number(limit)) return true;
  const percent =
    settings.write_down_approval_percent === null
      ? null
      : parseScaled(settings.write_down_approval_percent, 2);
  // total > worked × percent / 100, in integers: total × 10000 > worked × percent-in-hundredths.
  if (percent !== null)
    return BigInt(total) * 10000n > BigInt(Number(ctx.invoice.worked_fees_cents)) * BigInt(percent);
  return false;
}

/** Recomputes totals (and a capped matter's cap line), bumps the version, records the audit event. */
export async function finishEdit(
  ctx: EditContext,
  event: { action: string; before: unknown; after: unknown; reason?: string | null },
): Promise<void> {
  const { trx, invoice, now } = ctx;
  await repo.recomputeTotals(trx, invoice.id);
  if (invoice.fee_arrangement === 'capped') {
    const [matter] = await prebillRepo.findBillMatter(trx, invoice.matter_id);
    await refreshCap(trx, invoice.id, invoice, matter!, ctx.actorId, now);
    await repo.recomputeTotals(trx, invoice.id);
  }
  await trx
    .updateTable('invoice')
    .set({ version: sql`version + 1`, updated_at: now })
    .where('id', '=', invoice.id)
    .execute();
  const after = (await repo.findInvoiceById(trx, invoice.id))!;
  await appendAuditEvent(
    trx,
    ctx.actor,
    {
      action: event.action,
      entityType: 'invoice',
      entityId: invoice.id,
      before: { ...(event.before as object), total_cents: Number(invoice.total_cents) },
      after: { ...(event.after as object), total_cents: Number(after.total_cents) },
      reason: event.reason ?? null,
    },
    now,
  );
}
