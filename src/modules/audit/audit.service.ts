import type { AppContext } from '../../config/context.js';
import type { Actor } from '../../domain/policy.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { toVerifyReport, verifyAuditChain } from './audit-verify.js';
import * as repo from './audit.repository.js';
import type { AuditEventListQuery } from './audit.schemas.js';

/**
 * Lists audit events a page at a time, in chain order. Admins, the firm's custodians of the
 * trail, see every event; other readers (legal ops) do not see events of walled matters they
 * are not members of.
 */
export async function listAuditEvents(ctx: AppContext, actor: Actor, query: AuditEventListQuery) {
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
    actor.via === 'system' || actor.roles.includes('admin') ? null : actor,
  );
  return toPage(rows, query.limit);
}

/** Checks the whole chain and reports the first broken link. */
export async function verifyAuditTrail(ctx: AppContext, _actor: Actor) {
  return toVerifyReport(await verifyAuditChain(ctx.db));
}
