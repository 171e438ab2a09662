import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { notFound, staleVersion } from '../../domain/errors.js';
import { formatMoney, parseMoney } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import type { Classification } from '../../domain/roles.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { findVisibleMatter } from '../matters/matters.repository.js';
import * as refs from '../shared/references.repository.js';
import * as repo from './matter-timekeepers.repository.js';
import type { MatterTimekeeperRow } from './matter-timekeepers.repository.js';
import type { MatterTimekeeperDto, MatterTimekeeperPut } from './matter-timekeepers.schemas.js';

function toDto(row: MatterTimekeeperRow): MatterTimekeeperDto {
  const { approved_rate_cents, ...rest } = row;
  return {
    ...rest,
    classification: row.classification as Classification,
    approved_rate: approved_rate_cents === null ? null : formatMoney(approved_rate_cents),
  };
}

async function visibleMatterId(db: Kysely<DB>, actor: Actor, matterId: number): Promise<number> {
  const matter = await findVisibleMatter(db, actor, matterId, 'record');
  if (!matter) throw notFound('MATTER_NOT_FOUND', `No matter ${matterId}.`);
  return matter.id;
}

async function timekeeperId(db: Kysely<DB>, code: string): Promise<number> {
  const timekeeper = await refs.findTimekeeperByCode(db, code);
  if (!timekeeper) throw notFound('TIMEKEEPER_NOT_FOUND', `No timekeeper ${code}.`);
  return timekeeper.id;
}

/** Lists the timekeepers approved to work on a matter the actor may see. */
export async function listMatterTimekeepers(
  ctx: AppContext,
  actor: Actor,
  matterId: number,
): Promise<{ items: MatterTimekeeperDto[] }> {
  await visibleMatterId(ctx.db, actor, matterId);
  return { items: (await repo.listMatterTimekeepers(ctx.db, matterId)).map(toDto) };
}

/**
 * Approves a timekeeper on a matter, or changes their approved rate. Changing an existing
 * approval needs the version read, so two people editing one rate cannot overwrite each other.
 */
export async function putMatterTimekeeper(
  ctx: AppContext,
  actor: Actor,
  matterId: number,
  timekeeperCode: string,
  input: MatterTimekeeperPut,
): Promise<{ created: boolean; item: MatterTimekeeperDto }> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    await visibleMatterId(trx, actor, matterId);
    const tkId = await timekeeperId(trx, timekeeperCode);
    const before = await repo.findMatterTimekeeper(trx, matterId, tkId);
    const approvedRate =
      input.approved_rate === undefined || input.approved_rate === null
        ? null
        : parseMoney(input.approved_rate);
    if (before) {
      if (input.version === undefined || before.version !== input.version)
        throw staleVersion('matter timekeeper', input.version ?? 0, before.version);
      const rate = input.approved_rate === undefined ? before.approved_rate_cents : approvedRate;
      if (!(await repo.updateMatterTimekeeper(trx, matterId, tkId, input.version, rate, now)))
        throw staleVersion('matter timekeeper', input.version);
    } else {
      await repo.insertMatterTimekeeper(trx, {
        matterId,
        timekeeperId: tkId,
        approvedRateCents: approvedRate,
        now,
      });
    }
    const after = (await repo.findMatterTimekeeper(trx, matterId, tkId))!;
    await appendAuditEvent(
      trx,
      actor,
      {
        action: before ? 'matter_timekeeper.update' : 'matter_timekeeper.create',
        entityType: 'matter_timekeeper',
        entityId: `${matterId}:${tkId}`,
        before,
        after,
      },
      now,
    );
    return { created: !before, item: toDto(after) };
  });
}

/** Withdraws a timekeeper's approval on a matter. */
export async function removeMatterTimekeeper(
  ctx: AppContext,
  actor: Actor,
  matterId: number,
  timekeeperCode: string,
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await visibleMatterId(trx, actor, matterId);
    const tkId = await timekeeperId(trx, timekeeperCode);
    const before = await repo.findMatterTimekeeper(trx, matterId, tkId);
    if (!before || !(await repo.deleteMatterTimekeeper(trx, matterId, tkId)))
      throw notFound(
        'MATTER_TIMEKEEPER_NOT_FOUND',
        `Timekeeper ${timekeeperCode} is not approved on matter ${matterId}.`,
      );
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'matter_timekeeper.delete',
        entityType: 'matter_timekeeper',
        entityId: `${matterId}:${tkId}`,
        before,
      },
      now,
    );
  });
}
