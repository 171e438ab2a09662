/**
 * The configurable parts of pre-bill review: the reason codes adjustments cite (admins add and
 * disable them; codes are never deleted, so old adjustments keep their meaning) and the
 * thresholds above which a write-down needs the next approval level.
 */
import type { AppContext } from '../../config/context.js';
import { conflict, notFound, staleVersion, validationError } from '../../domain/errors.js';
import { formatMoney, formatScaled, parseMoney, parseScaled } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { actorIdOf } from './prebill-edit.js';
import * as prebillRepo from './prebill.repository.js';
import type { ReasonUpdate } from './write-downs.schemas.js';

export async function listReasons(app: AppContext, includeInactive: boolean) {
  return prebillRepo.listReasons(app.db, includeInactive);
}

/** Adds a reason code; 409 when the code exists (disabled ones are re-enabled instead). */
export async function addReason(
  app: AppContext,
  actor: Actor,
  input: { code: string; label: string; requires_note: boolean },
) {
  const now = app.now();
  return app.db.transaction().execute(async (trx) => {
    if (await prebillRepo.findReason(trx, input.code))
      throw conflict(
        'REASON_CODE_EXISTS',
        `Reason code "${input.code}" exists; enable it instead.`,
      );
    await trx.insertInto('adjustment_reason').values(input).execute();
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'adjustment_reason.create',
        entityType: 'adjustment_reason',
        entityId: input.code,
        after: input,
      },
      now,
    );
    return (await prebillRepo.findReason(trx, input.code))!;
  });
}

/**
 * Changes a reason code's label, whether it needs a note, or whether it may be cited (a disabled
 * code cannot be cited on new adjustments; past adjustments keep it).
 */
export async function updateReason(
  app: AppContext,
  actor: Actor,
  code: string,
  change: ReasonUpdate,
) {
  const now = app.now();
  return app.db.transaction().execute(async (trx) => {
    const before = await prebillRepo.findReason(trx, code);
    if (!before) throw notFound('REASON_CODE_NOT_FOUND', `No reason code "${code}".`);
    const set = {
      ...(change.label !== undefined ? { label: change.label } : {}),
      ...(change.requires_note !== undefined ? { requires_note: change.requires_note } : {}),
      ...(change.active !== undefined ? { active: change.active } : {}),
    };
    await trx.updateTable('adjustment_reason').set(set).where('code', '=', code).execute();
    const after = (await prebillRepo.findReason(trx, code))!;
    const onlyActive = change.label === undefined && change.requires_note === undefined;
    await appendAuditEvent(
      trx,
      actor,
      {
        action:
          onlyActive && change.active !== before.active
            ? change.active
              ? 'adjustment_reason.enable'
              : 'adjustment_reason.disable'
            : 'adjustment_reason.update',
        entityType: 'adjustment_reason',
        entityId: code,
        before,
        after,
      },
      now,
    );
    return after;
  });
}

export interface ThresholdsDto {
  write_down_approval_amount: string | null;
  write_down_approval_percent: string | null;
  version: number;
  updated_at: Date;
}

async function readThresholds(db: AppContext['db']): Promise<ThresholdsDto> {
  const row = await prebillRepo.findSettings(db);
  return {
    write_down_approval_amount:
      row.write_down_approval_amount_cents === null
        ? null
        : formatMoney(Number(row.write_down_approval_amount_cents)),
    write_down_approval_percent: row.write_down_approval_percent,
    version: row.version,
    updated_at: row.updated_at,
  };
}

export const getThresholds = (app: AppContext) => readThresholds(app.db);

/** Sets the write-down approval thresholds (decimal strings; null turns one off). */
export async function setThresholds(
  app: AppContext,
  actor: Actor,
  input: {
    version: number;
    write_down_approval_amount: string | null;
    write_down_approval_percent: string | null;
  },
): Promise<ThresholdsDto> {
  const issues = [];
  const amount =
    input.write_down_approval_amount === null ? null : parseMoney(input.write_down_approval_amount);
  if (input.write_down_approval_amount !== null && (amount === null || amount < 0))
    issues.push({
      field: 'write_down_approval_amount',
      message: 'must be an amount, e.g. "500.00", or null',
    });
  const percent =
    input.write_down_approval_percent === null
      ? null
      : parseScaled(input.write_down_approval_percent, 2);
  if (
    input.write_down_approval_percent !== null &&
    (percent === null || percent < 0 || percent > 10000)
  )
    issues.push({
      field: 'write_down_approval_percent',
      message: 'must be a percent from 0 to 100, e.g. "10", or null',
    });
  if (issues.length > 0)
    throw validationError('THRESHOLDS_INVALID', 'The thresholds are not valid.', issues);
  const now = app.now();
  return app.db.transaction().execute(async (trx) => {
    const before = await readThresholds(trx);
    const result = await trx
      .updateTable('prebill_setting')
      .set({
        write_down_approval_amount_cents: amount,
        write_down_approval_percent: percent === null ? null : formatScaled(percent, 2),
        version: input.version + 1,
        updated_by: actorIdOf(actor),
        updated_at: now,
      })
      .where('id', '=', 1)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n)
      throw staleVersion('thresholds', input.version, before.version);
    const after = await readThresholds(trx);
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'prebill_setting.update',
        entityType: 'prebill_setting',
        entityId: 1,
        before: { ...before, updated_at: undefined },
        after: { ...after, updated_at: undefined },
      },
      now,
    );
    return after;
  });
}
