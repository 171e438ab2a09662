/**
 * The firm's field-level rules: per role, whether it sees rates and money amounts of work and
 * write-down reasons. Read on every response that carries such fields (`http/field-rules.ts`),
 * changed by admins (API and CLI), each change audited in its transaction.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import type { FieldGroup, FieldVisibility } from '../../domain/field-visibility.js';
import { SEES_EVERYTHING, visibilityFor } from '../../domain/field-visibility.js';
import { AppError, notFound, staleVersion } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import type { FieldVisibilityChange, FieldVisibilityDto } from './field-visibility.schemas.js';
import * as repo from './field-visibility.repository.js';

/** What this actor may see (any of its roles suffices; the operator on the server sees all). */
export async function visibilityOf(db: Kysely<DB>, actor: Actor): Promise<FieldVisibility> {
  if (actor.via === 'system') return SEES_EVERYTHING;
  const rows = await repo.rowsOfRoles(db, actor.roles);
  return visibilityFor(actor, new Map(rows.map((row) => [row.role, row])));
}

/**
 * Refuses (403 FIELD_HIDDEN) an output that is made of a hidden group as a whole, such as a LEDES
 * file (rates and amounts) or a write-down report grouped by reason, where nothing could be
 * masked field by field.
 */
export async function requireVisible(
  db: Kysely<DB>,
  actor: Actor,
  group: FieldGroup,
  what: string,
): Promise<void> {
  if ((await visibilityOf(db, actor))[group]) return;
  const words = group === 'rates' ? 'rates and amounts' : 'write-down reasons';
  throw new AppError('forbidden', 'FIELD_HIDDEN', `Your roles may not see ${words}: ${what}.`);
}

/** Every role's rules. */
export async function listFieldVisibility(app: AppContext): Promise<FieldVisibilityDto[]> {
  return (await repo.listRows(app.db)) as FieldVisibilityDto[];
}

/** Changes one role's rules (optimistic on `version`; 409 when stale). */
export async function setFieldVisibility(
  app: AppContext,
  actor: Actor,
  role: string,
  change: FieldVisibilityChange,
): Promise<FieldVisibilityDto> {
  const now = app.now();
  return app.db.transaction().execute(async (trx) => {
    const before = await repo.findRow(trx, role);
    if (!before) throw notFound('FIELD_VISIBILITY_NOT_FOUND', `No field rules for role "${role}".`);
    const updated = await repo.updateRow(trx, role, {
      rates: change.rates ?? before.rates,
      reasons: change.reasons ?? before.reasons,
      version: change.version,
      updatedBy: actor.via === 'system' ? null : Number(actor.userId),
      now,
    });
    if (!updated) throw staleVersion('field visibility', change.version, before.version);
    const after = (await repo.findRow(trx, role))!;
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'field_visibility.update',
        entityType: 'field_visibility',
        entityId: role,
        before: { rates: before.rates, reasons: before.reasons, version: before.version },
        after: { rates: after.rates, reasons: after.reasons, version: after.version },
      },
      now,
    );
    return after as FieldVisibilityDto;
  });
}
