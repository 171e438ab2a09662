/**
 * Recording that an exported LEDES file went to the client's portal: which file (by checksum),
 * which portal, when. The invoice moves to `submitted` through the workflow's own transition
 * (roles, walls, readiness guard), in the same transaction as the submission row and its audit
 * event.
 */
import type { AppContext } from '../../config/context.js';
import { conflict, validationError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { transitionInTransaction } from '../invoices/transition-invoice.js';
import * as repo from './ebilling.repository.js';
import { visibleInvoiceId } from './ebilling.service.js';
import { sha256Of } from './export-ledes.js';
import { checkReadiness } from './readiness.js';

export interface SubmissionInput {
  /** The invoice version the caller read (optimistic concurrency). */
  version: number;
  /** The portal; the client's profile portal when omitted. */
  portal?: string | undefined;
  /** The checksum of the exported file that was sent; the latest export when omitted. */
  sha256?: string | undefined;
  /** When it was sent; now when omitted. */
  submittedAt?: Date | undefined;
}

export interface SubmissionDto {
  id: number;
  invoice_id: number;
  ledes_export_id: number;
  portal: string;
  sha256: string;
  submitted_at: Date;
  recorded_by: number | null;
  recorded_at: Date;
}

/** Records the submission of the invoice's exported file and moves the invoice to submitted. */
export async function recordSubmission(
  ctx: AppContext,
  actor: Actor,
  key: { id?: number; number?: string },
  input: SubmissionInput,
): Promise<SubmissionDto> {
  const invoiceId = await visibleInvoiceId(ctx, actor, key);
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const invoice = (await repo.findLedesInvoice(trx, invoiceId))!;
    const portal = input.portal?.trim() || invoice.ebilling_portal?.trim() || '';
    if (portal === '')
      throw validationError('PORTAL_REQUIRED', 'Name the portal the file was submitted to.', [
        { field: 'portal', message: "is required: the client's e-billing profile names none" },
      ]);
    const exports = await repo.findExports(trx, invoiceId);
    const chosen =
      input.sha256 === undefined ? exports[0] : exports.find((e) => e.sha256 === input.sha256);
    if (chosen === undefined)
      throw conflict(
        'EXPORT_NOT_FOUND',
        input.sha256 === undefined
          ? `Invoice ${invoice.invoice_number} has no LEDES export: export the file before recording its submission.`
          : `No export of invoice ${invoice.invoice_number} has checksum ${input.sha256}.`,
      );
    // The file sent must be the invoice as it stands: an edit since the export makes it stale.
    const { file } = await checkReadiness(trx, invoiceId);
    if (file !== null && sha256Of(Buffer.from(file.text, 'utf8')) !== chosen.sha256)
      throw conflict(
        'EXPORT_OUTDATED',
        `The export ${chosen.sha256.slice(0, 12)}… no longer matches invoice ${invoice.invoice_number}: export it again and submit that file.`,
      );

    await transitionInTransaction(
      ctx,
      trx,
      actor,
      invoiceId,
      { to: 'submitted', version: input.version },
      now,
    );
    const submittedAt = input.submittedAt ?? now;
    const recordedBy = actor.via === 'system' ? null : Number(actor.userId);
    const id = await repo.insertSubmission(trx, {
      invoice_id: invoiceId,
      ledes_export_id: Number(chosen.id),
      portal,
      sha256: chosen.sha256,
      submitted_at: submittedAt,
      recorded_by: recordedBy,
      recorded_at: now,
    });
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'invoice.ebilling_submission',
        entityType: 'invoice',
        entityId: invoiceId,
        before: null,
        after: { submission_id: id, portal, sha256: chosen.sha256, submitted_at: submittedAt },
        reason: null,
      },
      now,
    );
    return {
      id,
      invoice_id: invoiceId,
      ledes_export_id: Number(chosen.id),
      portal,
      sha256: chosen.sha256,
      submitted_at: submittedAt,
      recorded_by: recordedBy,
      recorded_at: now,
    };
  });
}
