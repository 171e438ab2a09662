import type { IsoDate } from '../../domain/dates.js';
import type { RateCandidate } from '../../domain/rates.js';
import { resolveRate } from '../../domain/rates.js';
import { EXPENSE_UNIT_CAPS } from './demo-expense-kinds.js';
import { MATTERS } from './demo-matters.js';
import type { DemoApproval, DemoRate } from './demo-rates.js';
import type { DemoPeriod } from './demo-roster.js';
import { clientOf, timekeeperOf } from './demo-roster.js';
import {
  ACTIVITY_CODES,
  CLERICAL_NARRATIVES,
  NARRATIVES,
  VAGUE_NARRATIVES,
} from './demo-vocabulary.js';
import type { MatterWindow, WorkEntry, WorkExpense } from './demo-work.js';

/** The kinds of billing problems the demo firm carries, as client portals would reject them. */
export const PROBLEM_KINDS = [
  'missing_code',
  'invalid_code',
  'vague_narrative',
  'block_billing',
  'over_daily_hours',
  'rate_above_approved',
  'unapproved_timekeeper',
  'outside_period',
  'after_matter_closed',
  'duplicate_entry',
  'non_tenth_hours',
  'clerical_work',
  'expense_over_cap',
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** The firm's eight-hour day, in hundredths, that portals warn above. */
export const DAILY_HOURS_LIMIT = 800;

export const dayKey = (e: { timekeeper: string; date: IsoDate }): string =>
  `${e.timekeeper}|${e.date}`;

/** Hours (hundredths) each timekeeper recorded on each day, keyed by `dayKey`. */
export function dayTotals(entries: readonly WorkEntry[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const e of entries) totals.set(dayKey(e), (totals.get(dayKey(e)) ?? 0) + e.hours);
  return totals;
}

export interface AuditContext {
  period: DemoPeriod;
  windows: Map<string, MatterWindow>;
  rates: readonly DemoRate[];
  approvals: readonly DemoApproval[];
}

const among = (list: readonly string[], value: string): boolean => list.includes(value);

/**
 * What a portal's first-pass audit would say about each entry and expense of the demo. The
 * tally is derived from the records themselves, so it stays true whatever the generator did.
 */
export function findProblems(
  entries: readonly WorkEntry[],
  expenses: readonly WorkExpense[],
  { period, windows, rates, approvals }: AuditContext,
): { entries: ProblemKind[][]; expenses: ProblemKind[][] } {
  const totals = dayTotals(entries);
  const candidates: RateCandidate[] = rates.map((r, i) => ({
    rateId: String(i),
    timekeeperId: r.timekeeper,
    clientId: r.client,
    matterId: r.matter,
    rate: r.rate,
    currency: r.currency,
    effectiveFrom: r.from,
    effectiveTo: r.to,
  }));
  const seen = new Set<string>();
  const entryProblems = entries.map((e) => {
    const found: ProblemKind[] = [];
    const matter = MATTERS.find((m) => m.code === e.matter)!;
    const client = clientOf(matter.client);
    if (e.task === '' || e.activity === '') found.push('missing_code');
    const badTask = e.task !== '' && !(e.task in NARRATIVES[matter.codeSet]);
    const badActivity = e.activity !== '' && !among(ACTIVITY_CODES, e.activity);
    if (badTask || badActivity) found.push('invalid_code');
    if (among(VAGUE_NARRATIVES, e.narrative)) found.push('vague_narrative');
    if (e.narrative.includes(';')) found.push('block_billing');
    if ((totals.get(dayKey(e)) ?? 0) > DAILY_HOURS_LIMIT) found.push('over_daily_hours');
    if (client.format !== 'none') {
      const approval = approvals.find(
        (a) => a.matter === e.matter && a.timekeeper === e.timekeeper,
      );
      if (!approval) found.push('unapproved_timekeeper');
      else if (approval.approvedRate !== null) {
        const keeper = timekeeperOf(e.timekeeper);
        const billed = resolveRate(
          {
            timekeeperId: keeper.code,
            timekeeperCode: keeper.code,
            matterId: matter.code,
            matterCode: matter.code,
            clientId: client.code,
            currency: client.currency,
            workDate: e.date,
            standardRate: keeper.rate,
            standardRateCurrency: 'USD',
          },
          candidates,
        );
        if (billed.rate > approval.approvedRate) found.push('rate_above_approved');
      }
    }
    if (e.date < period.from || e.date > period.to) found.push('outside_period');
    const closed = windows.get(e.matter)!.closed;
    if (closed !== null && e.date > closed) found.push('after_matter_closed');
    const key = `${dayKey(e)}|${e.hours}|${e.narrative}`;
    if (seen.has(key)) found.push('duplicate_entry');
    seen.add(key);
    if (e.hours % 10 !== 0) found.push('non_tenth_hours');
    if (among(CLERICAL_NARRATIVES, e.narrative)) found.push('clerical_work');
    return found;
  });
  const expenseProblems = expenses.map((x): ProblemKind[] => {
    const cap = EXPENSE_UNIT_CAPS[x.code];
    return cap !== undefined && x.unitCost > cap ? ['expense_over_cap'] : [];
  });
  return { entries: entryProblems, expenses: expenseProblems };
}
