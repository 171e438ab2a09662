/**
 * Kinds that judge an entry by its same-day neighbours: daily hour caps, internal conferences
 * and duplicates. Each looks only at the entry's own timekeeper-day or matter-day group, so a
 * save-time check given those neighbours reaches the same verdict as a bill run.
 */
import { dayGroupOf } from '../batch.js';
import type { RuleCompiler } from '../compiled-rule.js';
import { makeFinding } from '../findings.js';
import type { TimeEntryInput } from '../guideline.types.js';
import type { RuleKind } from '../param-schemas.js';
import { compileTerms, hoursText, listText, normalizeNarrative } from '../text.js';

/**
 * Time-entry kinds whose verdict on an entry depends on the other entries of its
 * timekeeper-day (daily totals; duplicates, which also need the same matter). Changing one
 * entry can move these findings only for the entries of the timekeeper-days it was and is in.
 */
export const TIMEKEEPER_DAY_KINDS: ReadonlySet<RuleKind> = new Set([
  'max_daily_hours',
  'duplicate_entry',
]);

/** Time-entry kinds whose verdict on an entry depends on the other entries of its matter-day. */
export const MATTER_DAY_KINDS: ReadonlySet<RuleKind> = new Set(['internal_conference']);

export const compileMaxDailyHours: RuleCompiler<'max_daily_hours'> = (rule, source) => {
  const limit = rule.params.hours;
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      if (batch.entries.length === 0) return;
      const groups = batch.timekeeperDays();
      const totals = new Map<readonly TimeEntryInput[], number>();
      for (const entry of batch.entries) {
        const day = dayGroupOf(groups, entry.timekeeperId, entry.workDate);
        let total = totals.get(day);
        if (total === undefined) {
          total = 0;
          for (const other of day) total += other.hours;
          totals.set(day, total);
        }
        if (total <= limit) continue;
        const text = `${entry.timekeeperCode} billed ${hoursText(total)} h on ${entry.workDate} across this client's matters, above the client's ${hoursText(limit)} h daily limit: check the day's entries and correct or explain them.`;
        out.push(makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text));
      }
    },
  };
};

export const compileInternalConference: RuleCompiler<'internal_conference'> = (rule, source) => {
  const codes = new Set(rule.params.activity_codes);
  const pattern = compileTerms(rule.params.terms);
  const max = rule.params.max_timekeepers;
  const isConference = (entry: TimeEntryInput): boolean =>
    (entry.activityCode !== null && codes.has(entry.activityCode)) ||
    (pattern !== null && pattern.test(entry.narrative));
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      if (batch.entries.length === 0) return;
      const groups = batch.matterDays();
      // Timekeeper codes attending each matter-day's internal conferences, counted once per group.
      const attendees = new Map<readonly TimeEntryInput[], string[]>();
      for (const entry of batch.entries) {
        if (!isConference(entry)) continue;
        const day = dayGroupOf(groups, entry.matterId, entry.workDate);
        let codesOfDay = attendees.get(day);
        if (codesOfDay === undefined) {
          const byId = new Map<string, string>();
          for (const other of day) {
            if (isConference(other)) byId.set(other.timekeeperId, other.timekeeperCode);
          }
          codesOfDay = [...byId.values()].sort();
          attendees.set(day, codesOfDay);
        }
        if (codesOfDay.length <= max) continue;
        const text = `${codesOfDay.length} timekeepers (${listText(codesOfDay)}) billed internal conferences on ${entry.matterCode} on ${entry.workDate}; the client pays for at most ${max}: keep ${max === 1 ? 'one attendee' : `${max} attendees`} and write down the rest.`;
        out.push(makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text));
      }
    },
  };
};

export const compileDuplicateEntry: RuleCompiler<'duplicate_entry'> = (rule, source) => ({
  ruleId: rule.id,
  evaluate(batch, out) {
    if (batch.entries.length > 0) {
      const groups = batch.timekeeperDays();
      const cache = batch.cached('normalized-narratives', () => new Map<string, string>());
      const normalized = (narrative: string): string => {
        let value = cache.get(narrative);
        if (value === undefined) {
          value = normalizeNarrative(narrative);
          cache.set(narrative, value);
        }
        return value;
      };
      for (const entry of batch.entries) {
        const twins: string[] = [];
        for (const other of dayGroupOf(groups, entry.timekeeperId, entry.workDate)) {
          // Cheap comparisons first; narratives are normalized only for real candidates.
          if (other === entry || other.matterId !== entry.matterId || other.hours !== entry.hours) {
            continue;
          }
          if (
            other.narrative === entry.narrative ||
            normalized(entry.narrative) === normalized(other.narrative)
          ) {
            twins.push(other.id);
          }
        }
        if (twins.length === 0) continue;
        const text = `This entry repeats ${listText(twins.sort())} (same timekeeper, matter, date, ${hoursText(entry.hours)} h and narrative): delete the duplicate or make the narratives say how the work differed.`;
        out.push(makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text));
      }
    }
    if (batch.expenses.length > 0) {
      const groups = batch.expenseMatterDays();
      for (const expense of batch.expenses) {
        const twins: string[] = [];
        for (const other of dayGroupOf(groups, expense.matterId, expense.workDate)) {
          if (
            other !== expense &&
            other.expenseCode === expense.expenseCode &&
            other.amount === expense.amount
          ) {
            twins.push(other.id);
          }
        }
        if (twins.length === 0) continue;
        const text = `This expense repeats ${listText(twins.sort())} (same matter, date, code and amount): delete the duplicate or describe how the charges differ.`;
        out.push(makeFinding(rule, source, 'expense', expense.id, expense.matterCode, text));
      }
    }
  },
});
