import type { AppContext } from '../../config/context.js';
import type { Actor } from '../../domain/policy.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { toVerifyReport, verifyAuditChain } from './audit-verify.js';
import * as repo from './audit.repository.js';
import type { AuditEventListQuery } from './audit.schemas.js';

/**
 * Lists audit events a page at a time, in chain order. Only admin and legal_ops reach this (the
 * route policy), so no matter-wall filter applies yet.
 */
export async function listAuditEvents(ctx: AppContext, _actor: Actor, query: AuditEventListQuery) {
  const rows = await repo.listAuditEvents(
    ctx.db,
    {
      entityType: query.entity_type,
      entityId: query.entity_id,
      action: query.action,
      from: query.from,
      to: query.to,
    },
    decodeCursor(query.cursor),
    query.limit + 1,
  );
  return toPage(rows, query.limit);
}

/** Checks the whole chain and reports the first broken link. */
export async function verifyAuditTrail(ctx: AppContext, _actor: Actor) {
  return toVerifyReport(await verifyAuditChain(ctx.db));
}
