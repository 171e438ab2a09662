import type { AppContext } from '../../config/context.js';
import { updateVersioned } from '../../db/versioned.js';
import { notFound } from '../../domain/errors.js';
import { formatMoney, parseMoney } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import type { Classification } from '../../domain/roles.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as repo from './timekeepers.repository.js';
import type {
  TimekeeperCreate,
  TimekeeperDto,
  TimekeeperListQuery,
  TimekeeperUpdate,
} from './timekeepers.schemas.js';

type TimekeeperRow = NonNullable<Awaited<ReturnType<typeof repo.findTimekeeperById>>>;

function toDto(row: TimekeeperRow): TimekeeperDto {
  const { standard_rate_cents, ...rest } = row;
  return {
    ...rest,
    classification: row.classification as Classification,
    standard_rate: standard_rate_cents === null ? null : formatMoney(standard_rate_cents),
  };
}

const centsOrNull = (text: string | null | undefined) =>
  text === null || text === undefined ? null : parseMoney(text);

const timekeeperNotFound = (id: number) => notFound('TIMEKEEPER_NOT_FOUND', `No timekeeper ${id}.`);

/** Lists timekeepers a page at a time. Timekeepers are firm-wide reference data. */
export async function listTimekeepers(ctx: AppContext, _actor: Actor, query: TimekeeperListQuery) {
  const rows = await repo.listTimekeepers(ctx.db, query, decodeCursor(query.cursor));
  const page = toPage(rows, query.limit);
  return { items: page.items.map(toDto), next_cursor: page.next_cursor };
}

/** Loads one timekeeper or fails with TIMEKEEPER_NOT_FOUND. */
export async function getTimekeeper(ctx: AppContext, _actor: Actor, id: number) {
  const row = await repo.findTimekeeperById(ctx.db, id);
  if (!row) throw timekeeperNotFound(id);
  return toDto(row);
}

/** Creates a timekeeper and records it in the audit trail. */
export async function createTimekeeper(
  ctx: AppContext,
  actor: Actor,
  input: TimekeeperCreate,
): Promise<TimekeeperDto> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.insertTimekeeper(trx, {
      timekeeper_code: input.timekeeper_code,
      first_name: input.first_name,
      last_name: input.last_name,
      classification: input.classification,
      email: input.email ?? null,
      standard_rate_cents: centsOrNull(input.standard_rate),
      currency: input.currency,
      practice_group: input.practice_group ?? null,
    });
    await appendAuditEvent(
      trx,
      actor,
      { action: 'timekeeper.create', entityType: 'timekeeper', entityId: row.id, after: row },
      now,
    );
    return toDto(row);
  });
}

/** Changes a timekeeper if `version` is still current (409 STALE_VERSION otherwise). */
export async function updateTimekeeper(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: TimekeeperUpdate,
): Promise<TimekeeperDto> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findTimekeeperById(trx, id);
    if (!before) throw timekeeperNotFound(id);
    const { version, standard_rate, ...plain } = input;
    const changes =
      standard_rate === undefined
        ? plain
        : { ...plain, standard_rate_cents: centsOrNull(standard_rate) };
    await updateVersioned(trx, 'timekeeper', id, version, changes, 'TIMEKEEPER_NOT_FOUND', now);
    const after = (await repo.findTimekeeperById(trx, id))!;
    await appendAuditEvent(
      trx,
      actor,
      { action: 'timekeeper.update', entityType: 'timekeeper', entityId: id, before, after },
      now,
    );
    return toDto(after);
  });
}

/** Deactivates a timekeeper: kept for history, no new time or rates. */
export async function deactivateTimekeeper(
  ctx: AppContext,
  actor: Actor,
  id: number,
  version: number,
): Promise<TimekeeperDto> {
  return updateTimekeeper(ctx, actor, id, { version, active: false });
}
