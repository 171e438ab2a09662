/** E-billing use cases that read: readiness of one invoice, behind the matter walls. */
import type { AppContext } from '../../config/context.js';
import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { findVisibleInvoice } from '../invoices/invoices.repository.js';
import { checkReadiness, type ReadinessReport } from './readiness.js';

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
