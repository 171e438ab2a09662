import { describe, expect, it } from 'vitest';
import { compileGuideline, evaluateEntries, restrictToKinds } from './compile-guideline.js';
import { buildRule, buildTimeEntry } from './guideline-factories.js';
import type { GuidelineRule, TimeEntryInput } from './guideline.types.js';
import { MATTER_DAY_KINDS, TIMEKEEPER_DAY_KINDS } from './kinds/cross-entry.js';
import type { RuleKind } from './param-schemas.js';

const rules: GuidelineRule[] = [
  buildRule('max_entry_hours', { hours: 4.0 }),
  buildRule('max_daily_hours', { hours: 8 }),
  buildRule('billing_increment', { hours: 0.1 }),
  buildRule('internal_conference', { max_timekeepers: 1 }),
  buildRule('duplicate_entry'),
  buildRule('narrative_length', { min_words: 5, max_chars: 200 }),
];

const entry = (id: string, extra: Partial<TimeEntryInput>) =>
  buildTimeEntry({ id, narrative: 'Conference with associate re deposition', ...extra });

// One timekeeper's long day with a duplicate, plus a second attendee of the conference.
const day: TimeEntryInput[] = [
  entry('a', { hours: 450, activityCode: 'A105' }),
  entry('b', { hours: 450, activityCode: 'A105' }),
  entry('c', { hours: 125, narrative: 'Short' }),
  entry('d', { hours: 100, activityCode: 'A105', timekeeperId: 'tk-2', timekeeperCode: 'ASMITH' }),
];

describe('restrictToKinds', () => {
  const compiled = compileGuideline(rules);
  const all = evaluateEntries(compiled, { timeEntries: day });

  it.each([
    ['the timekeeper-day kinds', TIMEKEEPER_DAY_KINDS],
    ['the matter-day kinds', MATTER_DAY_KINDS],
    ['no kind', new Set<RuleKind>()],
  ])('gives exactly the findings of %s that the whole guideline gives', (_, kinds) => {
    const restricted = evaluateEntries(restrictToKinds(compiled, kinds), { timeEntries: day });
    expect(restricted).toEqual(all.filter((f) => kinds.has(f.kind)));
  });

  it('keeps only the rules of the given kinds, in guideline order', () => {
    const restricted = restrictToKinds(compiled, new Set(['duplicate_entry', 'max_daily_hours']));
    expect(restricted.entryRules.map((r) => r.kind)).toEqual([
      'max_daily_hours',
      'duplicate_entry',
    ]);
    expect(restricted.invoiceRules).toEqual([]);
    // The fixture does exercise every kind, so the comparisons above are not vacuous.
    expect(new Set(all.map((f) => f.kind)).size).toBe(6);
  });

  it('leaves the verdict of every other kind independent of same-day neighbours', () => {
    const others = rules.filter(
      (r) => !TIMEKEEPER_DAY_KINDS.has(r.kind) && !MATTER_DAY_KINDS.has(r.kind),
    );
    const compiledOthers = compileGuideline(others);
    const alone = day.flatMap((e) => evaluateEntries(compiledOthers, { timeEntries: [e] }));
    const together = evaluateEntries(compiledOthers, { timeEntries: day });
    const key = (f: { ruleId: string; entityId: string }) => `${f.ruleId}|${f.entityId}`;
    expect(alone.map(key).sort()).toEqual(together.map(key).sort());
  });
});
