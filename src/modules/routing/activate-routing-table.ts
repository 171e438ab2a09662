import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as repo from './routing.repository.js';
import type { RoutingTableVersionDto } from './routing.schemas.js';
import { actorUserId, toVersionDto } from './routing.service.js';

/**
 * Activates a version of a routing table (the latest when `version` is omitted); the active
 * table, of any key, is retired in the same transaction. Activating the active version changes
 * nothing.
 */
export async function activateRoutingTable(
  ctx: AppContext,
  actor: Actor,
  key: string,
  version?: number,
): Promise<{ version: RoutingTableVersionDto; changed: boolean }> {
  return ctx.db.transaction().execute((trx) => activateIn(trx, ctx.now(), actor, key, version));
}

/** The activation itself, inside the caller's transaction (import --activate shares it). */
export async function activateIn(
  trx: Kysely<DB>,
  now: Date,
  actor: Actor,
  key: string,
  version?: number,
): Promise<{ version: RoutingTableVersionDto; changed: boolean }> {
  const target =
    version === undefined
      ? await repo.findLatestVersion(trx, key)
      : await repo.findVersion(trx, key, version);
  if (!target) {
    const which = version === undefined ? 'no versions' : `no version ${version}`;
    throw notFound('ROUTING_TABLE_NOT_FOUND', `Routing table "${key}" has ${which}.`);
  }
  // A second activation waits here, then sees the first's result: two parallel activations
  // cannot both leave their version active (the partial unique index would reject it anyway).
  await repo.lockActivation(trx);
  const current = await repo.findActiveVersion(trx);
  if (current?.id === target.id) return { version: toVersionDto(current), changed: false };

  if (current) await repo.retireVersion(trx, current.id);
  await repo.markActive(trx, target.id, actorUserId(actor), now);
  const after = (await repo.findVersion(trx, target.table_key, target.version))!;
  await appendAuditEvent(
    trx,
    actor,
    {
      action: 'routing_table.activate',
      entityType: 'routing_table',
      entityId: target.id,
      before: { active: current ? summary(current) : null, version: summary(target) },
      after: {
        active: summary(after),
        retired: current ? { ...summary(current), status: 'retired' } : null,
      },
    },
    now,
  );
  return { version: toVersionDto(after), changed: true };
}

function summary(row: repo.RoutingTableRow) {
  return { id: row.id, key: row.table_key, version: row.version, status: row.status };
}
