import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { updateVersioned } from '../../db/versioned.js';
import type { FieldIssue } from '../../domain/errors.js';
import { AppError, conflict, notFound, validationError } from '../../domain/errors.js';
import { formatMoney, parseMoney } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import type { RatePeriod } from '../../domain/rates.js';
import { findOverlappingRate, resolveRate } from '../../domain/rates.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { findVisibleMatterByCode } from '../matters/matters.repository.js';
import * as refs from '../shared/references.repository.js';
import * as repo from './rates.repository.js';
import type { RateRow } from './rates.repository.js';
import type {
  RateCreate,
  RateDto,
  RateListQuery,
  RateLookupDto,
  RateLookupQuery,
  RateUpdate,
} from './rates.schemas.js';

function toDto(row: RateRow): RateDto {
  const { rate_cents, ...rest } = row;
  return {
    ...rest,
    scope: row.matter_id !== null ? 'matter' : row.client_id !== null ? 'client' : 'default',
    rate: formatMoney(rate_cents),
  };
}

const rateNotFound = (id: number) => notFound('RATE_NOT_FOUND', `No rate ${id}.`);

/** A matter the actor may not see answers like a missing one. */
async function visibleMatter(db: Kysely<DB>, actor: Actor, code: string, field: string) {
  const matter = await findVisibleMatterByCode(db, actor, code, 'record');
  if (!matter)
    throw new AppError('not_found', 'MATTER_NOT_FOUND', `No matter ${code}.`, {
      issues: [{ field, message: `no matter with code ${code} that you may see` }],
    });
  return matter;
}

/** Refuses a rate that would compete with another active rate for the same work (409 RATE_OVERLAP). */
async function refuseOverlap(db: Kysely<DB>, rate: RatePeriod): Promise<void> {
  await repo.lockTimekeeperRates(db, Number(rate.timekeeperId));
  const others = await repo.findRateCandidates(db, Number(rate.timekeeperId), null);
  const other = findOverlappingRate(rate, others);
  if (other) {
    throw conflict(
      'RATE_OVERLAP',
      `The dates overlap active rate ${other.rateId} (${other.effectiveFrom} to ${other.effectiveTo ?? 'open'}) in the same scope and currency; end or deactivate that rate first.`,
      {
        rate_id: Number(other.rateId),
        effective_from: other.effectiveFrom,
        effective_to: other.effectiveTo,
      },
    );
  }
}

function checkDates(from: string, to: string | null, issues: FieldIssue[]): void {
  if (to !== null && to < from)
    issues.push({ field: 'effective_to', message: 'must not be before effective_from' });
}

/** Lists the rates the actor may see, a page at a time. */
export async function listRates(ctx: AppContext, actor: Actor, query: RateListQuery) {
  const rows = await repo.listVisibleRates(ctx.db, actor, query, decodeCursor(query.cursor));
  const page = toPage(rows, query.limit);
  return { items: page.items.map(toDto), next_cursor: page.next_cursor };
}

/** Loads one rate the actor may see, or fails with RATE_NOT_FOUND. */
export async function getRate(ctx: AppContext, actor: Actor, id: number): Promise<RateDto> {
  const row = await repo.findVisibleRate(ctx.db, actor, id);
  if (!row) throw rateNotFound(id);
  return toDto(row);
}

/** Adds a default, client or matter rate for a timekeeper, refusing overlaps in its scope. */
export async function createRate(
  ctx: AppContext,
  actor: Actor,
  input: RateCreate,
): Promise<RateDto> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const issues: FieldIssue[] = [];
    const timekeeper = await refs.findTimekeeperByCode(trx, input.timekeeper_code);
    if (!timekeeper)
      issues.push({ field: 'timekeeper_code', message: `no timekeeper ${input.timekeeper_code}` });
    const matter = input.matter_code
      ? await visibleMatter(trx, actor, input.matter_code, 'matter_code')
      : null;
    const client = input.client_code ? await refs.findClientByCode(trx, input.client_code) : null;
    if (input.client_code && !client)
      issues.push({ field: 'client_code', message: `no client ${input.client_code}` });
    if (matter && client && client.id !== matter.client_id)
      issues.push({
        field: 'client_code',
        message: `must be the client of matter ${input.matter_code}`,
      });
    const effectiveTo = input.effective_to ?? null;
    checkDates(input.effective_from, effectiveTo, issues);
    if (issues.length > 0 || !timekeeper)
      throw validationError('RATE_INVALID', 'The rate is not valid.', issues);

    const clientId = matter?.client_id ?? client?.id ?? null;
    const currency = input.currency ?? matter?.currency ?? client?.currency ?? timekeeper.currency;
    await refuseOverlap(trx, {
      rateId: null,
      timekeeperId: String(timekeeper.id),
      clientId: clientId === null ? null : String(clientId),
      matterId: matter ? String(matter.id) : null,
      currency,
      effectiveFrom: input.effective_from,
      effectiveTo,
    });
    const id = await repo.insertRate(trx, {
      timekeeper_id: timekeeper.id,
      client_id: clientId,
      matter_id: matter?.id ?? null,
      rate_cents: parseMoney(input.rate)!,
      currency,
      effective_from: input.effective_from,
      effective_to: effectiveTo,
    });
    const row = (await repo.findVisibleRate(trx, actor, id))!;
    await appendAuditEvent(
      trx,
      actor,
      { action: 'rate.create', entityType: 'rate', entityId: id, after: row },
      now,
    );
    return toDto(row);
  });
}

/** Changes a rate's amount, currency, dates or active flag if `version` is still current. */
export async function updateRate(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: RateUpdate,
): Promise<RateDto> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findVisibleRate(trx, actor, id);
    if (!before) throw rateNotFound(id);
    const { version, rate, ...plain } = input;
    const merged = {
      currency: plain.currency ?? before.currency,
      effectiveFrom: plain.effective_from ?? before.effective_from,
      effectiveTo: plain.effective_to === undefined ? before.effective_to : plain.effective_to,
      active: plain.active ?? before.active,
    };
    const issues: FieldIssue[] = [];
    checkDates(merged.effectiveFrom, merged.effectiveTo, issues);
    if (issues.length > 0) throw validationError('RATE_INVALID', 'The rate is not valid.', issues);
    if (merged.active) {
      await refuseOverlap(trx, {
        rateId: String(id),
        timekeeperId: String(before.timekeeper_id),
        clientId: before.client_id === null ? null : String(before.client_id),
        matterId: before.matter_id === null ? null : String(before.matter_id),
        ...merged,
      });
    }
    const changes = { ...plain, ...(rate === undefined ? {} : { rate_cents: parseMoney(rate)! }) };
    await updateVersioned(trx, 'rate', id, version, changes, 'RATE_NOT_FOUND', now);
    const after = (await repo.findVisibleRate(trx, actor, id))!;
    await appendAuditEvent(
      trx,
      actor,
      { action: 'rate.update', entityType: 'rate', entityId: id, before, after },
      now,
    );
    return toDto(after);
  });
}

/** Deactivates a rate: kept for history, no longer used to value work. */
export async function deactivateRate(
  ctx: AppContext,
  actor: Actor,
  id: number,
  version: number,
): Promise<RateDto> {
  return updateRate(ctx, actor, id, { version, active: false });
}

/** The rate that applies to a timekeeper's work on a matter on a date, and where it comes from. */
export async function lookupRate(
  ctx: AppContext,
  actor: Actor,
  query: RateLookupQuery,
): Promise<RateLookupDto> {
  const timekeeper = await refs.findTimekeeperByCode(ctx.db, query.timekeeper);
  if (!timekeeper)
    throw validationError('RATE_LOOKUP_INVALID', `No timekeeper ${query.timekeeper}.`, [
      { field: 'timekeeper', message: `no timekeeper ${query.timekeeper}` },
    ]);
  const matter = await visibleMatter(ctx.db, actor, query.matter, 'matter');
  const candidates = await repo.findRateCandidates(ctx.db, timekeeper.id, {
    matterId: matter.id,
    clientId: matter.client_id,
  });
  const resolved = resolveRate(
    {
      timekeeperId: String(timekeeper.id),
      timekeeperCode: timekeeper.timekeeper_code,
      matterId: String(matter.id),
      matterCode: matter.matter_code,
      clientId: String(matter.client_id),
      currency: matter.currency,
      workDate: query.date,
      standardRate: timekeeper.standard_rate_cents,
      standardRateCurrency: timekeeper.currency,
    },
    candidates,
  );
  return {
    timekeeper_code: timekeeper.timekeeper_code,
    matter_code: matter.matter_code,
    date: query.date,
    rate: formatMoney(resolved.rate),
    currency: resolved.currency,
    scope: resolved.scope,
    rate_id: resolved.rateId === null ? null : Number(resolved.rateId),
  };
}
