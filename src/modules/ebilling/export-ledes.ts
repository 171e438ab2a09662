/**
 * Handing out an invoice's LEDES file. Only an invoice that passes readiness is exported; each
 * export is recorded (who, when, format, SHA-256 of the exact bytes, size) with its audit event
 * in one transaction, so a submission can later name the file it sent by checksum.
 */
import { createHash } from 'node:crypto';
import type { AppContext } from '../../config/context.js';
import { AppError, conflict } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { visibleMatterIds } from '../matters/matter-access.js';
import { requireVisible } from '../field-visibility/field-visibility.service.js';
import * as repo from './ebilling.repository.js';
import { visibleInvoiceId } from './ebilling.service.js';
import { checkReadiness, type ReadinessProblem } from './readiness.js';

/** States whose invoice may leave the firm: signed off, or already sent (a re-download). */
export const EXPORTABLE_STATES = ['approved', 'submitted', 'accepted', 'paid'];

/** One recorded export, and the bytes it recorded. */
export interface LedesExport {
  id: number;
  invoice_id: number;
  invoice_number: string;
  format: 'LEDES1998B' | 'LEDES98BI';
  file_name: string;
  sha256: string;
  bytes: number;
  exported_at: Date;
  content: Buffer;
}

/** A file name from the invoice number: portals and file systems want nothing unusual in it. */
export function ledesFileName(invoiceNumber: string): string {
  return `${invoiceNumber.replace(/[^A-Za-z0-9._-]/g, '_')}.txt`;
}

/** SHA-256 of the bytes, as lowercase hex. */
export function sha256Of(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Exports the invoice's LEDES file for `actor`: 404 when hidden, 409 INVOICE_NOT_APPROVED before
 * sign-off, 409 NOT_READY_FOR_EXPORT (with every problem) when readiness fails.
 */
export async function exportInvoiceLedes(
  ctx: AppContext,
  actor: Actor,
  key: { id?: number; number?: string },
): Promise<LedesExport> {
  const invoiceId = await visibleInvoiceId(ctx, actor, key);
  await requireVisible(ctx.db, actor, 'rates', 'a LEDES file is made of them');
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const invoice = await repo.findLedesInvoice(trx, invoiceId);
    if (!invoice || !EXPORTABLE_STATES.includes(invoice.state))
      throw conflict(
        'INVOICE_NOT_APPROVED',
        `Invoice ${invoice?.invoice_number ?? invoiceId} is ${invoice?.state ?? 'missing'}: only approved invoices are exported.`,
        { state: invoice?.state ?? null },
      );
    const { report, file } = await checkReadiness(trx, invoiceId);
    if (!report.ready || file === null || report.format === null)
      throw notReady(report.invoice_number, report.problems);
    const content = Buffer.from(file.text, 'utf8');
    const sha256 = sha256Of(content);
    const actorId = actor.via === 'system' ? null : Number(actor.userId);
    const id = await repo.insertExport(trx, {
      invoice_id: invoiceId,
      format: report.format,
      sha256,
      bytes: content.byteLength,
      exported_by: actorId,
      actor: actor.email,
      exported_at: now,
    });
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'invoice.ledes_export',
        entityType: 'invoice',
        entityId: invoiceId,
        before: null,
        after: { export_id: id, format: report.format, sha256, bytes: content.byteLength },
        reason: null,
      },
      now,
    );
    return {
      id,
      invoice_id: invoiceId,
      invoice_number: invoice.invoice_number,
      format: report.format,
      file_name: ledesFileName(invoice.invoice_number),
      sha256,
      bytes: content.byteLength,
      exported_at: now,
      content,
    };
  });
}

function notReady(invoiceNumber: string, problems: ReadinessProblem[]) {
  const errors = problems.filter((p) => p.severity === 'error');
  return conflict(
    'NOT_READY_FOR_EXPORT',
    `Invoice ${invoiceNumber} fails the e-billing readiness check (${errors.map((p) => p.code).join(', ')}); nothing was exported.`,
    { problems },
  );
}

/** What a period export did: the files written and the invoices refused, with their problems. */
export interface PeriodExport {
  exported: LedesExport[];
  refused: {
    invoice_number: string;
    code: string;
    message: string;
    problems: ReadinessProblem[];
  }[];
}

/**
 * Exports every approved invoice of the month for clients on LEDES, each in its own transaction:
 * an invoice that fails readiness is refused and listed, the others are exported.
 */
export async function exportPeriodLedes(
  ctx: AppContext,
  actor: Actor,
  period: string,
): Promise<PeriodExport> {
  const out: PeriodExport = { exported: [], refused: [] };
  const invoices = await repo.findApprovedLedesInvoices(
    ctx.db,
    visibleMatterIds(ctx.db, actor, 'work'),
    `${period}-01`,
  );
  for (const row of invoices) {
    try {
      out.exported.push(await exportInvoiceLedes(ctx, actor, { id: Number(row.id) }));
    } catch (error) {
      if (!(error instanceof AppError) || error.kind !== 'conflict') throw error;
      const details = error.details as { problems?: ReadinessProblem[] } | undefined;
      out.refused.push({
        invoice_number: row.invoice_number,
        code: error.code,
        message: error.message,
        problems: details?.problems ?? [],
      });
    }
  }
  return out;
}
