/**
 * Approving or rejecting a pending write-down. The decider is the next approval level above
 * the person who asked: an approver routed at a later level of the invoice's approver chain
 * than the requester (any level when the requester is not in the chain); when the requester is
 * the top of the chain, legal ops. Never the requester. Rejecting undoes the write-down: the
 * line gets back its values from before, an invoice-level line leaves the invoice.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../config/context.js';
import { AppError, notFound, staleVersion } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import * as repo from '../invoices/invoices.repository.js';
import { resolveStageOwners } from '../routing/resolve-stage-owners.js';
import { actorIdOf, finishEdit, type LineSnapshot } from './prebill-edit.js';
import * as prebillRepo from './prebill.repository.js';

export interface DecisionInput {
  decision: 'approve' | 'reject';
  version: number;
  note?: string | undefined;
}

/** Decides pending adjustment `adjustmentId` of invoice `invoiceId`. */
export async function decideAdjustment(
  app: AppContext,
  actor: Actor,
  invoiceId: number,
  adjustmentId: number,
  input: DecisionInput,
): Promise<void> {
  const now = app.now();
  await app.db.transaction().execute(async (trx) => {
    const visible = await repo.findVisibleInvoice(trx, actor, { id: invoiceId });
    if (!visible) throw notFound('INVOICE_NOT_FOUND', `No invoice ${invoiceId}.`);
    await sql`select 1 from invoice where id = ${invoiceId} for update`.execute(trx);
    const invoice = (await repo.findInvoiceById(trx, invoiceId))!;
    if (invoice.version !== input.version)
      throw staleVersion('invoice', input.version, invoice.version);
    const adjustment = await prebillRepo.findAdjustmentForUpdate(trx, invoiceId, adjustmentId);
    if (!adjustment)
      throw notFound(
        'ADJUSTMENT_NOT_FOUND',
        `Invoice ${invoice.invoice_number} has no adjustment ${adjustmentId}.`,
      );
    if (adjustment.state !== 'pending')
      throw new AppError(
        'conflict',
        'ADJUSTMENT_NOT_PENDING',
        `Adjustment ${adjustmentId} is ${adjustment.state}.`,
      );
    const actorId = actorIdOf(actor);
    const requester = adjustment.requested_by === null ? null : Number(adjustment.requested_by);
    if (actorId !== null && actorId === requester)
      throw new AppError(
        'forbidden',
        'SAME_PERSON',
        'A write-down is approved by someone other than who asked for it.',
      );
    await checkDecider(trx, actor, invoice, requester);

    if (input.decision === 'reject' && adjustment.invoice_line_id !== null)
      await undo(trx, Number(adjustment.invoice_line_id), adjustment.field, adjustment.before, now);
    await trx
      .updateTable('invoice_adjustment')
      .set({
        state: input.decision === 'approve' ? 'applied' : 'rejected',
        decided_by: actorId,
        decided_at: now,
        version: sql`version + 1`,
        updated_at: now,
      })
      .where('id', '=', adjustmentId)
      .execute();
    await finishEdit(
      { trx, actor, actorId, now, invoice },
      {
        action:
          input.decision === 'approve' ? 'invoice.adjustment_approve' : 'invoice.adjustment_reject',
        before: {
          adjustment_id: adjustmentId,
          state: 'pending',
          amount_cents: Number(adjustment.amount_cents),
        },
        after: {
          adjustment_id: adjustmentId,
          state: input.decision === 'approve' ? 'applied' : 'rejected',
          ...(input.note?.trim() ? { note: input.note.trim() } : {}),
        },
        reason: input.note?.trim() || null,
      },
    );
  });
}

/** Who may decide a write-down asked by `requester`: the approvers above them, or legal ops. */
export interface Deciders {
  /** Approvers routed at a later level than the requester (empty: legal ops decides). */
  approvers: { level: number; userId: number; email: string | null }[];
  /** The deciders in words, e.g. "the approver at level 2 or above (a@firm.example)". */
  words: string;
}

export async function decidersOf(
  trx: Parameters<typeof repo.findInvoiceById>[0],
  invoice: Pick<repo.InvoiceRow, 'matter_id' | 'total_cents'>,
  requester: number | null,
): Promise<Deciders> {
  const routed = await resolveStageOwners(trx, invoice.matter_id, Number(invoice.total_cents));
  const requesterLevel = Math.max(
    0,
    ...routed.approvers
      .filter((a) => a.userId !== null && a.userId === requester)
      .map((a) => a.level),
  );
  const approvers = routed.approvers
    .filter((a) => a.level > requesterLevel && a.userId !== null)
    .map((a) => ({ level: a.level, userId: a.userId!, email: a.email }));
  return {
    approvers,
    words:
      approvers.length > 0
        ? `the approver at level ${approvers[0]!.level} or above (${approvers.map((a) => a.email).join(', ')})`
        : 'legal ops (the write-down was asked by the top of the approver chain)',
  };
}

/** Whether the actor may decide a write-down with these deciders (never its requester). */
export function mayDecide(actor: Actor, deciders: Deciders, requester: number | null): boolean {
  if (actor.via === 'system') return true;
  const actorId = Number(actor.userId);
  if (actorId === requester) return false;
  return deciders.approvers.length > 0
    ? actor.roles.includes('approver') && deciders.approvers.some((a) => a.userId === actorId)
    : actor.roles.includes('legal_ops');
}

/** Throws unless the actor is at the approval level above the requester. */
async function checkDecider(
  trx: Parameters<typeof repo.findInvoiceById>[0],
  actor: Actor,
  invoice: repo.InvoiceRow,
  requester: number | null,
): Promise<void> {
  if (actor.via === 'system') return;
  const deciders = await decidersOf(trx, invoice, requester);
  if (!mayDecide(actor, deciders, requester))
    throw new AppError(
      'forbidden',
      'NOT_NEXT_APPROVAL_LEVEL',
      deciders.approvers.length > 0
        ? `Only ${deciders.words} may decide this write-down.`
        : 'The write-down was asked by the top of the approver chain; legal ops decides it.',
      { levels: deciders.approvers.map((a) => a.level) },
    );
}

/** Puts a line back as it was before the write-down. */
async function undo(
  trx: Parameters<typeof repo.findInvoiceById>[0],
  lineId: number,
  field: string | null,
  before: unknown,
  now: Date,
): Promise<void> {
  if (field === 'invoice') {
    // An invoice-level write-down is its own line: rejected, it leaves the invoice.
    await prebillRepo.updateLine(trx, lineId, { disposition: 'exclude' }, now);
    return;
  }
  const values = (typeof before === 'string' ? JSON.parse(before) : before) as LineSnapshot;
  await prebillRepo.updateLine(
    trx,
    lineId,
    {
      units: values.units,
      unit_cost_cents: values.unit_cost_cents,
      adjustment_cents: values.adjustment_cents,
      amount_cents: values.amount_cents,
      disposition: values.disposition,
    },
    now,
  );
}
