import { describe, expect, it } from 'vitest';
import { compileGuideline, evaluateInvoice } from './compile-guideline.js';
import { buildExpense, buildRule, buildTimeEntry, evaluateRules } from './guideline-factories.js';
import type { InvoiceInput } from './kinds/invoice.js';

describe('max_daily_hours', () => {
  const rule = buildRule('max_daily_hours', { hours: 8 }, { severity: 'block' });
  const day = (hours: number[], extra: object = {}) =>
    hours.map((h, i) =>
      buildTimeEntry({
        id: `TE-${i}`,
        hours: h,
        matterId: `m-${i}`,
        matterCode: `M-${i}`,
        ...extra,
      }),
    );

  it("flags every entry of a timekeeper's day above the limit, across matters", () => {
    const findings = evaluateRules(rule, { timeEntries: day([400, 300, 200]) });
    expect(findings.map((f) => f.entityId)).toEqual(['TE-0', 'TE-1', 'TE-2']);
    expect(findings[0]?.message).toBe(
      "JDOE billed 9.0 h on 2026-03-10 across this client's matters, above the client's 8.0 h daily limit: check the day's entries and correct or explain them.",
    );
  });

  it('passes exactly 8.0 h and flags 8.1 h', () => {
    expect(evaluateRules(rule, { timeEntries: day([400, 400]) })).toEqual([]);
    expect(evaluateRules(rule, { timeEntries: day([400, 410]) })).toHaveLength(2);
  });

  it('keeps timekeepers and days apart, and ignores non-billable time', () => {
    const entries = [
      buildTimeEntry({ id: 'a', hours: 500 }),
      buildTimeEntry({ id: 'b', hours: 500, timekeeperId: 'tk-2' }),
      buildTimeEntry({ id: 'c', hours: 500, workDate: '2026-03-11' }),
      buildTimeEntry({ id: 'd', hours: 500, billable: false }),
    ];
    expect(evaluateRules(rule, { timeEntries: entries })).toEqual([]);
  });

  it('counts context entries when one entry is saved, without reporting them', () => {
    const [saved, ...others] = day([400, 300, 200]);
    const findings = evaluateRules(rule, {
      timeEntries: [saved!],
      context: { timeEntries: others },
    });
    expect(findings.map((f) => f.entityId)).toEqual(['TE-0']);
  });
});

describe('internal_conference', () => {
  const rule = buildRule('internal_conference', { max_timekeepers: 1 });
  const conference = (id: string, timekeeper: string, extra: object = {}) =>
    buildTimeEntry({
      id,
      timekeeperId: timekeeper,
      timekeeperCode: timekeeper.toUpperCase(),
      activityCode: 'A105',
      narrative: 'Conference with associate re deposition strategy',
      ...extra,
    });

  it('flags each attendee when more timekeepers bill the conference than allowed', () => {
    const findings = evaluateRules(rule, {
      timeEntries: [
        conference('1', 'ab'),
        conference('2', 'cd'),
        buildTimeEntry({ id: '3', timekeeperId: 'ef' }),
      ],
    });
    expect(findings.map((f) => f.entityId)).toEqual(['1', '2']);
    expect(findings[0]?.message).toContain(
      '2 timekeepers (AB and CD) billed internal conferences on M-100 on 2026-03-10',
    );
  });

  it('passes one attendee, the boundary at max_timekeepers', () => {
    expect(
      evaluateRules(rule, { timeEntries: [conference('1', 'ab'), conference('2', 'ab')] }),
    ).toEqual([]);
    const two = buildRule('internal_conference', { max_timekeepers: 2 });
    expect(
      evaluateRules(two, { timeEntries: [conference('1', 'ab'), conference('2', 'cd')] }),
    ).toEqual([]);
  });

  it('recognises internal conferences by narrative terms and keeps matters and days apart', () => {
    const byTerm = conference('2', 'cd', {
      activityCode: 'A106',
      narrative: 'Internal meeting on case plan',
    });
    expect(evaluateRules(rule, { timeEntries: [conference('1', 'ab'), byTerm] })).toHaveLength(2);
    const otherMatter = conference('2', 'cd', { matterId: 'matter-2' });
    expect(evaluateRules(rule, { timeEntries: [conference('1', 'ab'), otherMatter] })).toEqual([]);
  });
});

describe('duplicate_entry', () => {
  const rule = buildRule('duplicate_entry', {}, { severity: 'block' });

  it('flags both entries of a duplicate pair, ignoring case and punctuation in the narrative', () => {
    const findings = evaluateRules(rule, {
      timeEntries: [
        buildTimeEntry({ id: 'A', narrative: 'Draft motion to compel.' }),
        buildTimeEntry({ id: 'B', narrative: 'draft  motion to compel' }),
      ],
    });
    expect(findings.map((f) => f.entityId)).toEqual(['A', 'B']);
    expect(findings[0]?.message).toContain('This entry repeats B');
  });

  it('passes entries that differ in hours, matter, date or narrative', () => {
    const base = buildTimeEntry({ id: 'A' });
    for (const change of [
      { hours: 110 },
      { matterId: 'matter-2' },
      { workDate: '2026-03-11' },
      { narrative: 'Revise motion to compel' },
    ]) {
      expect(
        evaluateRules(rule, { timeEntries: [base, buildTimeEntry({ id: 'B', ...change })] }),
      ).toEqual([]);
    }
  });

  it('flags duplicate expenses: same matter, date, code and amount', () => {
    const findings = evaluateRules(rule, {
      expenses: [
        buildExpense({ id: 'X1' }),
        buildExpense({ id: 'X2', description: 'Copies' }),
        buildExpense({ id: 'X3', amount: 1001 }),
      ],
    });
    expect(findings.map((f) => [f.entity, f.entityId])).toEqual([
      ['expense', 'X1'],
      ['expense', 'X2'],
    ]);
  });
});

describe('expense_cap', () => {
  const copies = buildRule(
    'expense_cap',
    { expense_code: 'E101', max_unit_cost: 0.1 },
    { severity: 'adjust' },
  );
  const meals = buildRule(
    'expense_cap',
    { expense_code: 'E111', max_amount: 75 },
    { severity: 'adjust' },
  );

  it('reduces an expense above the unit-cost cap to quantity × cap', () => {
    const [finding] = evaluateRules(copies, {
      expenses: [buildExpense({ unitCost: 25, amount: 2500 })],
    });
    expect(finding?.correction).toEqual({ field: 'amount', from: 2500, to: 1000 });
    expect(finding?.message).toBe(
      "E101 expense: unit cost 0.25 is above the 0.10 cap: bill 10.00 or get the client's approval first.",
    );
  });

  it('passes the cap itself and other expense codes', () => {
    expect(evaluateRules(copies, { expenses: [buildExpense({ unitCost: 10 })] })).toEqual([]);
    expect(
      evaluateRules(copies, { expenses: [buildExpense({ unitCost: 11, amount: 1100 })] }),
    ).toHaveLength(1);
    expect(
      evaluateRules(copies, { expenses: [buildExpense({ expenseCode: 'E102', unitCost: 99 })] }),
    ).toEqual([]);
  });

  it('caps the amount of one expense', () => {
    const meal = (amount: number) =>
      buildExpense({ expenseCode: 'E111', quantity: 100, unitCost: amount, amount });
    expect(evaluateRules(meals, { expenses: [meal(7500)] })).toEqual([]);
    expect(evaluateRules(meals, { expenses: [meal(7501)] })[0]?.correction).toEqual({
      field: 'amount',
      from: 7501,
      to: 7500,
    });
  });
});

describe('non_billable_expense', () => {
  const rule = buildRule(
    'non_billable_expense',
    { expense_codes: ['E105'] },
    { severity: 'adjust' },
  );

  it('writes a non-billable expense code down to zero', () => {
    const [finding] = evaluateRules(rule, {
      expenses: [buildExpense({ expenseCode: 'E105', amount: 1250 })],
    });
    expect(finding?.correction).toEqual({ field: 'amount', factor: '0' });
    expect(finding?.message).toBe(
      'The client does not pay E105 expenses: mark this 12.50 expense non-billable.',
    );
  });

  it('passes other codes', () => {
    expect(evaluateRules(rule, { expenses: [buildExpense({ expenseCode: 'E106' })] })).toEqual([]);
  });
});

describe('invoice-level kinds', () => {
  const invoice = (overrides: Partial<InvoiceInput> = {}): InvoiceInput => ({
    id: 'INV-7',
    matterCode: 'M-100',
    period: { start: '2026-03-01', end: '2026-03-31' },
    lines: [
      { entity: 'time_entry', id: 'TE-1', date: '2026-03-01' },
      { entity: 'expense', id: 'EX-1', date: '2026-03-31' },
    ],
    total: 1_000_000,
    matterBudget: 5_000_000,
    billedToDate: 3_500_000,
    ...overrides,
  });
  const compiled = compileGuideline([
    buildRule('entry_outside_period', {}, { severity: 'block' }),
    buildRule('budget', { threshold_percent: 90 }),
    buildRule('invoice_total_threshold', { max_amount: 10000 }),
  ]);

  it('passes lines on the period bounds, a total at the threshold and spend at the budget share', () => {
    expect(evaluateInvoice(compiled, invoice())).toEqual([]);
  });

  it('flags lines outside the period, spend over the budget share and a total over the threshold', () => {
    const findings = evaluateInvoice(
      compiled,
      invoice({
        lines: [{ entity: 'time_entry', id: 'TE-9', date: '2026-02-28' }],
        total: 1_000_001,
      }),
    );
    expect(findings.map((f) => [f.kind, f.entity, f.entityId])).toEqual([
      ['entry_outside_period', 'time_entry', 'TE-9'],
      ['budget', 'invoice', 'INV-7'],
      ['invoice_total_threshold', 'invoice', 'INV-7'],
    ]);
    expect(findings[1]?.message).toContain('above 90% of the matter budget of 50000.00');
  });

  it('skips the budget check for matters without a budget, and entry rules ignore invoices', () => {
    expect(evaluateInvoice(compiled, invoice({ matterBudget: null, billedToDate: 9e9 }))).toEqual(
      [],
    );
    const entryOnly = compileGuideline([buildRule('max_entry_hours', { hours: 1 })]);
    expect(evaluateInvoice(entryOnly, invoice())).toEqual([]);
  });
});
