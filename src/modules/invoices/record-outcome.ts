/**
 * Recording the outcome of a contingency matter on its draft: the fee earned on the outcome, in
 * cents. The next bill run turns it into the invoice's one fee line; until then the review cannot
 * be completed (`contingency_outcome_recorded`). Written with its audit event in one transaction.
 */
import type { AppContext } from '../../config/context.js';
import { updateVersioned } from '../../db/versioned.js';
import { AppError, conflict, notFound, staleVersion } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import type { Role } from '../../domain/roles.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as repo from './invoices.repository.js';

const RECORDING_ROLES: readonly Role[] = ['billing_coordinator', 'legal_ops', 'admin'];

/** Sets the outcome amount of a contingency draft, or throws why it cannot be set now. */
export async function recordOutcome(
  ctx: AppContext,
  actor: Actor,
  invoiceId: number,
  input: { outcomeAmountCents: number; version: number },
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const invoice = await repo.findVisibleInvoice(trx, actor, { id: invoiceId });
    if (!invoice) throw notFound('INVOICE_NOT_FOUND', `No invoice ${invoiceId}.`);
    if (!actor.roles.some((role) => RECORDING_ROLES.includes(role)))
      throw new AppError(
        'forbidden',
        'ROLE_NOT_ALLOWED',
        `only ${RECORDING_ROLES.join(', ')} may record an outcome`,
      );
    if (invoice.version !== input.version)
      throw staleVersion('invoice', input.version, invoice.version);
    if (invoice.fee_arrangement !== 'contingency')
      throw conflict(
        'NOT_CONTINGENT',
        `Invoice ${invoice.invoice_number} is on a ${invoice.fee_arrangement} fee; only contingency fees have an outcome.`,
      );
    // The fee line is added by the bill run, which only refreshes drafts.
    const draft =
      invoice.state === 'draft' ||
      (invoice.state === 'exception' && invoice.previous_state === 'draft');
    if (!draft)
      throw conflict(
        'INVOICE_IN_PROGRESS',
        `Invoice ${invoice.invoice_number} is ${invoice.state}; record the outcome while it is a draft.`,
        { state: invoice.state },
      );
    await updateVersioned(
      trx,
      'invoice',
      invoiceId,
      input.version,
      { outcome_amount_cents: input.outcomeAmountCents },
      'INVOICE_NOT_FOUND',
      now,
    );
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'invoice.record_outcome',
        entityType: 'invoice',
        entityId: invoiceId,
        before: { outcome_amount_cents: numOrNull(invoice.outcome_amount_cents) },
        after: { outcome_amount_cents: input.outcomeAmountCents },
      },
      now,
    );
  });
}

const numOrNull = (value: number | string | null) => (value === null ? null : Number(value));
