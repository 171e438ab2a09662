/** E-billing use cases that read: readiness of one invoice, behind the matter walls. */
import type { AppContext } from '../../config/context.js';
import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { findVisibleInvoice } from '../invoices/invoices.repository.js';
import * as repo from './ebilling.repository.js';
import { checkReadiness, type ReadinessReport } from './readiness.js';
import type { ReasonMapInForce } from './reason-map.js';

/** The invoice the actor may see, by id or number; 404 when hidden (walls) or missing. */
export async function visibleInvoiceId(
  ctx: AppContext,
  actor: Actor,
  key: { id?: number; number?: string },
): Promise<number> {
  const row = await findVisibleInvoice(ctx.db, actor, key);
  if (!row) throw notFound('INVOICE_NOT_FOUND', `No invoice ${key.number ?? key.id}.`);
  return Number(row.id);
}

/** Would the client's portal take this invoice? Every problem with its owner. */
export async function getReadiness(
  ctx: AppContext,
  actor: Actor,
  key: { id?: number; number?: string },
): Promise<ReadinessReport> {
  const id = await visibleInvoiceId(ctx, actor, key);
  return (await checkReadiness(ctx.db, id)).report;
}

/** The invoice's recorded LEDES exports, newest first. */
export async function listExports(ctx: AppContext, actor: Actor, invoiceId: number) {
  const id = await visibleInvoiceId(ctx, actor, { id: invoiceId });
  const rows = await repo.findExports(ctx.db, id);
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      invoice_id: Number(r.invoice_id),
      format: r.format,
      sha256: r.sha256,
      bytes: r.bytes,
      exported_by: r.exported_by === null ? null : Number(r.exported_by),
      actor: r.actor,
      exported_at: r.exported_at,
    })),
  };
}

/** The invoice's recorded submissions, oldest first. */
export async function listSubmissions(ctx: AppContext, actor: Actor, invoiceId: number) {
  const id = await visibleInvoiceId(ctx, actor, { id: invoiceId });
  const rows = await repo.findSubmissions(ctx.db, id);
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      invoice_id: Number(r.invoice_id),
      ledes_export_id: Number(r.ledes_export_id),
      portal: r.portal,
      sha256: r.sha256,
      submitted_at: r.submitted_at,
      recorded_by: r.recorded_by === null ? null : Number(r.recorded_by),
      recorded_at: r.recorded_at,
    })),
  };
}

/** A reason-code map as the API shows it. */
export function reasonMapDto(inForce: ReasonMapInForce) {
  return {
    version: inForce.version,
    source_text: inForce.source_text,
    reasons: inForce.map.reasons.map((r) => ({
      code: r.code,
      description: r.description,
      rule_kinds: r.ruleKinds,
    })),
  };
}
