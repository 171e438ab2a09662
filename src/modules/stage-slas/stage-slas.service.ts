/**
 * The firm's stage SLAs: stored per stage (starting from Matterflow's defaults), read by every
 * deadline the server works out (escalations, the managers' digest) and by the web app's SLA
 * states; changed by admins as one versioned set, each change audited in its transaction.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { staleVersion } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import {
  DEFAULT_STAGE_SLAS,
  SLA_STAGES,
  stageSlasWith,
  type Sla,
  type StageSlas,
} from '../../domain/workflow/index.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as repo from './stage-slas.repository.js';
import type { SlaUnit, StageSlasChange, StageSlasDto } from './stage-slas.schemas.js';

type Row = { stage: string; business_days: number | null; hours: number | null };

function slaOfRow(row: Row): Sla | null {
  if (row.business_days !== null) return { businessDays: row.business_days };
  if (row.hours !== null) return { hours: row.hours };
  return null;
}

function unitOf(sla: Sla | null): { unit: SlaUnit; amount: number | null } {
  if (sla === null) return { unit: 'none', amount: null };
  return 'hours' in sla
    ? { unit: 'hours', amount: sla.hours }
    : { unit: 'business_days', amount: sla.businessDays };
}

/** The SLAs in force now, for every stage: the firm's stored ones over the defaults. */
export async function stageSlasOf(db: Kysely<DB>): Promise<StageSlas> {
  const rows = await repo.listRows(db);
  return stageSlasWith(Object.fromEntries(rows.map((row) => [row.stage, slaOfRow(row)])));
}

/** The stage SLAs with their defaults, and the version to change them under. */
export async function getStageSlas(ctx: AppContext): Promise<StageSlasDto> {
  const [slas, setting] = await Promise.all([stageSlasOf(ctx.db), repo.findSetting(ctx.db)]);
  return {
    items: SLA_STAGES.map((stage) => {
      const current = unitOf(slas[stage]);
      const fallback = unitOf(DEFAULT_STAGE_SLAS[stage]);
      return {
        stage,
        unit: current.unit,
        amount: current.amount,
        default_unit: fallback.unit,
        default_amount: fallback.amount,
      };
    }),
    version: setting.version,
    updated_by: setting.updated_by,
    updated_at: setting.updated_at,
  };
}

/** Changes the listed stages' SLAs (optimistic on `version`; 409 when stale), audited. */
export async function setStageSlas(
  ctx: AppContext,
  actor: Actor,
  change: StageSlasChange,
): Promise<StageSlasDto> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const setting = await repo.findSetting(trx, true);
    if (setting.version !== change.version)
      throw staleVersion('stage SLAs', change.version, setting.version);
    const before = await stageSlasOf(trx);
    for (const item of change.items)
      await repo.upsertRow(trx, {
        stage: item.stage,
        business_days: item.unit === 'business_days' ? item.amount : null,
        hours: item.unit === 'hours' ? item.amount : null,
      });
    await repo.bumpVersion(trx, change.version, {
      updatedBy: actor.via === 'system' ? null : Number(actor.userId),
      now,
    });
    const after = await stageSlasOf(trx);
    const changed = change.items.map((item) => item.stage);
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'stage_sla.update',
        entityType: 'stage_sla',
        entityId: 'firm',
        before: {
          version: change.version,
          ...Object.fromEntries(changed.map((s) => [s, unitOf(before[s])])),
        },
        after: {
          version: change.version + 1,
          ...Object.fromEntries(changed.map((s) => [s, unitOf(after[s])])),
        },
      },
      now,
    );
  });
  return getStageSlas(ctx);
}
