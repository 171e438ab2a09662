import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import acmeText from '../../../examples/guidelines/acme-insurance.yaml?raw';
import firmText from '../../../examples/guidelines/firm-default.yaml?raw';
import { compileGuideline, evaluateEntries } from './compile-guideline.js';
import { buildExpense, buildRule, buildTimeEntry } from './guideline-factories.js';
import type { ExpenseInput, Finding, Guideline, TimeEntryInput } from './guideline.types.js';
import { effectiveRules } from './merge-guidelines.js';
import { parseGuideline } from './parse-guideline.js';
import type { Classification } from '../roles.js';

function guidelineOf(text: string): Guideline {
  const result = parseGuideline(text);
  if ('errors' in result) throw new Error(JSON.stringify(result.errors));
  return result.guideline;
}

// The example guidelines plus kinds they leave out, so every entry-level kind takes part.
const rules = [
  ...effectiveRules(guidelineOf(firmText), guidelineOf(acmeText)),
  buildRule('internal_conference', { max_timekeepers: 2 }, { id: 'conf-2' }),
  buildRule('max_daily_hours', { hours: 3 }, { id: 'daily-3' }),
];
const compiled = compileGuideline(rules, { guidelineId: 'acme', guidelineVersion: 3 });
const period = { start: '2026-03-01', end: '2026-03-31' };

// Small value pools make same-day groups, duplicates and conferences common.
const narratives = [
  'Draft motion to compel production of claim files',
  'draft motion to compel production of claim files.',
  'Conference with associate re deposition strategy',
  'Internal meeting on case plan',
  'Attention to matter',
  'Travel to Chicago for deposition',
  'Telephone call with client; revise settlement letter',
  'Scanning exhibits',
  '',
];
const timeEntryArb = fc.record({
  timekeeper: fc.constantFrom('tk-1', 'tk-2', 'tk-3'),
  classification: fc.constantFrom<Classification>('PT', 'AS', 'PL', 'LA'),
  matter: fc.constantFrom('matter-1', 'matter-2'),
  workDate: fc.constantFrom('2026-03-09', '2026-03-10', '2026-04-02'),
  hours: fc.constantFrom(50, 100, 125, 150, 400, 410),
  narrative: fc.constantFrom(...narratives),
  activityCode: fc.constantFrom('A105', 'A102', 'A103', null),
  taskCode: fc.constantFrom('L110', 'L100', 'B110', null),
  rate: fc.constantFrom(19500, 42500, 65000, 80000),
  approvedRate: fc.constantFrom(null, 40000),
  billable: fc.constantFrom(true, true, true, false),
  closed: fc.constantFrom(null, '2026-03-31'),
});
const expenseArb = fc.record({
  matter: fc.constantFrom('matter-1', 'matter-2'),
  workDate: fc.constantFrom('2026-03-09', '2026-03-10'),
  expenseCode: fc.constantFrom('E101', 'E105', 'E111', null),
  amount: fc.constantFrom(1000, 9000),
});

type RecordOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

function toEntries(records: RecordOf<typeof timeEntryArb>[]): TimeEntryInput[] {
  return records.map((r, i) =>
    buildTimeEntry({
      id: `TE-${i}`,
      timekeeperId: r.timekeeper,
      timekeeperCode: r.timekeeper.toUpperCase(),
      classification: r.classification,
      matterId: r.matter,
      matterCode: r.matter.toUpperCase(),
      workDate: r.workDate,
      hours: r.hours,
      narrative: r.narrative,
      activityCode: r.activityCode,
      taskCode: r.taskCode,
      rate: r.rate,
      approvedRate: r.approvedRate,
      billable: r.billable,
      matterClosedOn: r.closed,
      matterApprovedTimekeeperIds: r.matter === 'matter-2' ? ['tk-1'] : [],
    }),
  );
}

function toExpenses(records: RecordOf<typeof expenseArb>[]): ExpenseInput[] {
  return records.map((r, i) =>
    buildExpense({
      id: `EX-${i}`,
      matterId: r.matter,
      matterCode: r.matter.toUpperCase(),
      workDate: r.workDate,
      expenseCode: r.expenseCode,
      quantity: 100,
      unitCost: r.amount,
      amount: r.amount,
    }),
  );
}

const sorted = (findings: Finding[]) => findings.map((f) => JSON.stringify(f)).sort();

describe('evaluating one entry at a time', () => {
  it('gives exactly the findings of one bulk evaluation when each entry brings its same-day neighbours', () => {
    fc.assert(
      fc.property(
        fc.array(timeEntryArb, { maxLength: 25 }),
        fc.array(expenseArb, { maxLength: 8 }),
        (t, x) => {
          const entries = toEntries(t);
          const expenses = toExpenses(x);
          const bulk = evaluateEntries(compiled, { timeEntries: entries, expenses, period });

          const single: Finding[] = [];
          for (const entry of entries) {
            // What a save-time caller loads: the timekeeper's entries that day and the matter's entries that day.
            const neighbours = entries.filter(
              (other) =>
                other.workDate === entry.workDate &&
                (other.timekeeperId === entry.timekeeperId || other.matterId === entry.matterId),
            );
            single.push(
              ...evaluateEntries(compiled, {
                timeEntries: [entry],
                context: { timeEntries: neighbours },
                period,
              }),
            );
          }
          for (const expense of expenses) {
            const neighbours = expenses.filter(
              (o) => o.workDate === expense.workDate && o.matterId === expense.matterId,
            );
            single.push(
              ...evaluateEntries(compiled, {
                expenses: [expense],
                context: { expenses: neighbours },
                period,
              }),
            );
          }
          expect(sorted(single)).toEqual(sorted(bulk));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds cross-entry problems in the generated data (the property is not vacuous)', () => {
    const entries = toEntries(fc.sample(timeEntryArb, { numRuns: 400, seed: 42 }));
    const kinds = new Set(
      evaluateEntries(compiled, { timeEntries: entries, period }).map((f) => f.kind),
    );
    for (const kind of [
      'max_daily_hours',
      'internal_conference',
      'duplicate_entry',
      'expression',
    ]) {
      expect(kinds).toContain(kind);
    }
  });
});
