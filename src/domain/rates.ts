import { AppError } from './errors.js';
import type { Cents } from './money.js';
import type { IsoDate } from './dates.js';
import { isWithin } from './dates.js';

/** Where a rate applies: one matter, all of a client's matters, or the timekeeper's default. */
export type RateScope = 'matter' | 'client' | 'default' | 'standard';

/** A rate card row as the lookup needs it. */
export interface RateCandidate {
  rateId: string | null;
  timekeeperId: string;
  clientId: string | null;
  matterId: string | null;
  rate: Cents;
  currency: string;
  effectiveFrom: IsoDate;
  effectiveTo: IsoDate | null;
}

export interface RateQuery {
  timekeeperId: string;
  timekeeperCode: string;
  matterId: string;
  matterCode: string;
  clientId: string;
  currency: string;
  workDate: IsoDate;
  /** The timekeeper's undated standard rate, the last fallback (null when none is set). */
  standardRate: Cents | null;
  standardRateCurrency: string | null;
}

export interface ResolvedRate {
  rate: Cents;
  currency: string;
  scope: RateScope;
  rateId: string | null;
}

function scopeOf(candidate: RateCandidate): Exclude<RateScope, 'standard'> {
  if (candidate.matterId !== null) return 'matter';
  if (candidate.clientId !== null) return 'client';
  return 'default';
}

const PRECEDENCE: Record<Exclude<RateScope, 'standard'>, number> = {
  matter: 0,
  client: 1,
  default: 2,
};

/**
 * Picks the rate for (timekeeper, matter, work date): the most specific scope wins
 * (matter > client > timekeeper default > standard rate); within one scope the row with the
 * latest `effectiveFrom` whose inclusive range covers the date. Only rates in the matter's
 * currency count. Throws RATE_NOT_FOUND when nothing applies.
 */
export function resolveRate(query: RateQuery, candidates: readonly RateCandidate[]): ResolvedRate {
  let best: RateCandidate | null = null;
  for (const candidate of candidates) {
    if (candidate.timekeeperId !== query.timekeeperId) continue;
    if (candidate.currency !== query.currency) continue;
    if (candidate.matterId !== null && candidate.matterId !== query.matterId) continue;
    if (
      candidate.matterId === null &&
      candidate.clientId !== null &&
      candidate.clientId !== query.clientId
    )
      continue;
    if (!isWithin(query.workDate, candidate.effectiveFrom, candidate.effectiveTo)) continue;
    if (best === null || isBetter(candidate, best)) best = candidate;
  }
  if (best !== null) {
    return { rate: best.rate, currency: best.currency, scope: scopeOf(best), rateId: best.rateId };
  }
  if (query.standardRate !== null && query.standardRateCurrency === query.currency) {
    return { rate: query.standardRate, currency: query.currency, scope: 'standard', rateId: null };
  }
  throw new AppError(
    'not_found',
    'RATE_NOT_FOUND',
    `No ${query.currency} rate for timekeeper ${query.timekeeperCode} on matter ${query.matterCode} on ${query.workDate}: add a rate for the matter, its client or the timekeeper's default.`,
    {
      timekeeper: query.timekeeperCode,
      matter: query.matterCode,
      date: query.workDate,
      currency: query.currency,
    },
  );
}

function isBetter(candidate: RateCandidate, best: RateCandidate): boolean {
  const a = PRECEDENCE[scopeOf(candidate)];
  const b = PRECEDENCE[scopeOf(best)];
  if (a !== b) return a < b;
  return candidate.effectiveFrom > best.effectiveFrom;
}

/** What decides whether two rates compete for the same work: their scope, currency and dates. */
export type RatePeriod = Omit<RateCandidate, 'rate'>;

/**
 * The first of `others` that competes with `rate`: same timekeeper, client, matter and currency,
 * with inclusive date ranges that share at least one day (a null `effectiveTo` is open-ended).
 * Two such rates would make the lookup depend on row order, so only one may be active.
 * A row with the same non-null `rateId` is the rate itself and is skipped; pass active rates only.
 */
export function findOverlappingRate<T extends RatePeriod>(
  rate: RatePeriod,
  others: readonly T[],
): T | null {
  for (const other of others) {
    if (rate.rateId !== null && other.rateId === rate.rateId) continue;
    if (
      other.timekeeperId !== rate.timekeeperId ||
      other.clientId !== rate.clientId ||
      other.matterId !== rate.matterId ||
      other.currency !== rate.currency
    )
      continue;
    const startsBeforeOtherEnds =
      other.effectiveTo === null || rate.effectiveFrom <= other.effectiveTo;
    const otherStartsBeforeEnd =
      rate.effectiveTo === null || other.effectiveFrom <= rate.effectiveTo;
    if (startsBeforeOtherEnds && otherStartsBeforeEnd) return other;
  }
  return null;
}
