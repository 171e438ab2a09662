import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as repo from './guidelines.repository.js';
import type { GuidelineVersionDto } from './guidelines.schemas.js';
import { actorUserId, toVersionDto } from './guidelines.service.js';

/**
 * Activates a version of a guideline (the latest when `version` is omitted): the client's
 * active version, if any, is retired in the same transaction. Activating the active version
 * changes nothing.
 */
export async function activateGuideline(
  ctx: AppContext,
  actor: Actor,
  key: string,
  version?: number,
): Promise<{ version: GuidelineVersionDto; changed: boolean }> {
  return ctx.db.transaction().execute((trx) => activateIn(trx, ctx.now(), actor, key, version));
}

/** The activation itself, inside the caller's transaction (import --activate shares it). */
export async function activateIn(
  trx: Kysely<DB>,
  now: Date,
  actor: Actor,
  key: string,
  version?: number,
): Promise<{ version: GuidelineVersionDto; changed: boolean }> {
  const target = await findTarget(trx, key, version);
  // One activation per client scope at a time: a second one waits here, then sees the first's
  // result, so two parallel activations cannot both leave their version active.
  await repo.lockClientScope(trx, target.client_id);
  const current = await repo.findActiveVersion(trx, target.client_id);
  if (current?.id === target.id) return { version: toVersionDto(current), changed: false };

  if (current) await repo.retireVersion(trx, current.id, now);
  await repo.markActive(trx, target.id, actorUserId(actor), now);
  const after = (await repo.findVersion(trx, target.guideline_key, target.version))!;
  await appendAuditEvent(
    trx,
    actor,
    {
      action: 'guideline.activate',
      entityType: 'guideline_version',
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

async function findTarget(trx: Kysely<DB>, key: string, version: number | undefined) {
  const row =
    version === undefined
      ? await repo.findLatestVersion(trx, key)
      : await repo.findVersion(trx, key, version);
  if (!row) {
    const which = version === undefined ? 'no versions' : `no version ${version}`;
    throw notFound('GUIDELINE_NOT_FOUND', `Guideline "${key}" has ${which}.`);
  }
  return row;
}

function summary(row: repo.GuidelineVersionRow) {
  return {
    id: row.id,
    key: row.guideline_key,
    client: row.client_code,
    version: row.version,
    status: row.status,
  };
}
