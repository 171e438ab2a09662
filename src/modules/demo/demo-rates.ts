import type { IsoDate } from '../../domain/dates.js';
import { addDays } from '../../domain/dates.js';
import type { DemoPeriod } from './demo-roster.js';
import { MATTERS } from './demo-matters.js';
import { CLIENTS, TIMEKEEPERS, clientOf, firstOfMonth, timekeeperOf } from './demo-roster.js';

/** One row of the demo rate card, in minor units of its currency. */
export interface DemoRate {
  timekeeper: string;
  client: string | null;
  matter: string | null;
  rate: number;
  currency: string;
  from: IsoDate;
  to: IsoDate | null;
}

/** A timekeeper the client approved on a matter, with the rate it agreed to (null: no rate set). */
export interface DemoApproval {
  matter: string;
  timekeeper: string;
  approvedRate: number | null;
}

const roundTo5 = (cents: number): number => Math.round(cents / 500) * 500;

/** The timekeeper whose client rate goes up mid-period without the client's approval. */
const MID_PERIOD_CLIENT_INCREASE = { client: 'ALD', timekeeper: 'T107' } as const;

/** Matter-specific deal rates that override every other scope. */
const MATTER_RATES: readonly { matter: string; timekeeper: string; dollars: number }[] = [
  { matter: 'HP-4001', timekeeper: 'T102', dollars: 995 },
  { matter: 'HP-4001', timekeeper: 'T109', dollars: 590 },
];

/** Who works on each client's matters with the client's blessing (the rate card's scope). */
function approvedTeams(): Map<string, Set<string>> {
  const teams = new Map<string, Set<string>>();
  for (const matter of MATTERS) {
    const team = teams.get(matter.client) ?? new Set<string>();
    for (const code of Object.keys(matter.team))
      if (!matter.unapproved.includes(code)) team.add(code);
    teams.set(matter.client, team);
  }
  return teams;
}

/**
 * Default rates for everyone (partners and of counsel get their annual increase on the first
 * day of the second month), negotiated rate cards for the e-billing clients in their own
 * currencies, and deal rates on one matter. Rates start a year back so late entries still price.
 */
export function buildRateCard(period: DemoPeriod): DemoRate[] {
  const start = firstOfMonth(period.from, -12);
  const endOfFirstMonth = addDays(period.secondMonth, -1);
  const rates: DemoRate[] = [];
  for (const keeper of TIMEKEEPERS) {
    const base = { timekeeper: keeper.code, client: null, matter: null, currency: 'USD' };
    if (keeper.classification === 'PT' || keeper.classification === 'OC') {
      const before = roundTo5(keeper.rate * 0.95);
      rates.push({ ...base, rate: before, from: start, to: endOfFirstMonth });
      rates.push({ ...base, rate: keeper.rate, from: period.secondMonth, to: null });
    } else {
      rates.push({ ...base, rate: keeper.rate, from: start, to: null });
    }
  }
  const teams = approvedTeams();
  for (const client of CLIENTS) {
    if (client.format === 'none') continue;
    for (const code of [...(teams.get(client.code) ?? [])].sort()) {
      const rate = roundTo5(timekeeperOf(code).rate * client.rateFactor);
      const base = {
        timekeeper: code,
        client: client.code,
        matter: null,
        currency: client.currency,
      };
      const increase = MID_PERIOD_CLIENT_INCREASE;
      if (client.code === increase.client && code === increase.timekeeper) {
        rates.push({ ...base, rate, from: start, to: endOfFirstMonth });
        rates.push({ ...base, rate: roundTo5(rate * 1.06), from: period.secondMonth, to: null });
      } else {
        rates.push({ ...base, rate, from: start, to: null });
      }
    }
  }
  for (const { matter, timekeeper, dollars } of MATTER_RATES) {
    const currency = clientOf(MATTERS.find((m) => m.code === matter)!.client).currency;
    rates.push({
      timekeeper,
      client: null,
      matter,
      rate: dollars * 100,
      currency,
      from: start,
      to: null,
    });
  }
  return rates;
}

/** Approved rates that differ from the client rate card: one too low, two left blank. */
const APPROVAL_OVERRIDES: readonly {
  matter: string;
  timekeeper: string;
  rate: 'blank' | number;
}[] = [
  { matter: 'HP-1002', timekeeper: 'T110', rate: -4000 },
  { matter: 'HP-1002', timekeeper: 'T115', rate: 'blank' },
  { matter: 'HP-2001', timekeeper: 'T118', rate: 'blank' },
];

/**
 * The approved timekeepers of every e-billing matter, at the client rate in force on the first
 * day of the period. A rate that rises later, or an approval below the rate card, makes the
 * portal flag the time as billed above the approved rate.
 */
export function buildApprovals(rates: readonly DemoRate[], period: DemoPeriod): DemoApproval[] {
  const approvals: DemoApproval[] = [];
  for (const matter of MATTERS) {
    if (clientOf(matter.client).format === 'none') continue;
    for (const code of Object.keys(matter.team)) {
      if (matter.unapproved.includes(code)) continue;
      const card = rates.find(
        (r) =>
          r.timekeeper === code &&
          r.client === matter.client &&
          r.from <= period.from &&
          (r.to === null || r.to >= period.from),
      );
      const override = APPROVAL_OVERRIDES.find(
        (o) => o.matter === matter.code && o.timekeeper === code,
      );
      let approvedRate = card?.rate ?? null;
      if (override?.rate === 'blank') approvedRate = null;
      else if (override && approvedRate !== null) approvedRate += override.rate;
      approvals.push({ matter: matter.code, timekeeper: code, approvedRate });
    }
  }
  return approvals;
}
