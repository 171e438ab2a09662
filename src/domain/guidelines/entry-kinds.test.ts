import { describe, expect, it } from 'vitest';
import { buildExpense, buildRule, buildTimeEntry, evaluateRules } from './guideline-factories.js';
import type { ExpenseInput, GuidelineRule, TimeEntryInput } from './guideline.types.js';

function flags(rule: GuidelineRule, entry: Partial<TimeEntryInput>): boolean {
  return evaluateRules(rule, { timeEntries: [buildTimeEntry(entry)] }).length > 0;
}

function flagsExpense(rule: GuidelineRule, expense: Partial<ExpenseInput>): boolean {
  return evaluateRules(rule, { expenses: [buildExpense(expense)] }).length > 0;
}

function only(rule: GuidelineRule, entry: Partial<TimeEntryInput>) {
  const findings = evaluateRules(rule, { timeEntries: [buildTimeEntry(entry)] });
  expect(findings).toHaveLength(1);
  return findings[0]!;
}

describe('required_fields', () => {
  const rule = buildRule('required_fields', { fields: ['task_code', 'narrative', 'expense_code'] });

  it('flags a time entry without a listed field, naming every missing one', () => {
    const finding = only(rule, { taskCode: null, narrative: '  ' });
    expect(finding.message).toBe(
      'The time entry has no task code and narrative: the client requires it; fill it in before release.',
    );
  });

  it('passes an entry with the listed fields even when an unlisted one is empty', () => {
    expect(flags(rule, { activityCode: null })).toBe(false);
  });

  it('checks expense fields on expenses', () => {
    expect(flagsExpense(rule, { expenseCode: '' })).toBe(true);
    expect(flagsExpense(rule, { description: '' })).toBe(false);
  });
});

describe('utbms_codes', () => {
  const rule = buildRule('utbms_codes', { task_set: 'litigation' });

  it('flags a phase-only code, a code from another set and an unknown activity code', () => {
    expect(only(rule, { taskCode: 'L100' }).message).toContain('L100 is a phase');
    expect(flags(rule, { taskCode: 'B110' })).toBe(true);
    expect(flags(rule, { activityCode: 'A999' })).toBe(true);
  });

  it('passes valid litigation task and activity codes', () => {
    expect(flags(rule, { taskCode: 'L110', activityCode: 'A101' })).toBe(false);
  });

  it('requires codes only when asked to', () => {
    expect(flags(rule, { taskCode: null })).toBe(true);
    const lenient = buildRule('utbms_codes', { require_task: false, require_activity: false });
    expect(flags(lenient, { taskCode: null, activityCode: null })).toBe(false);
    expect(flags(lenient, { taskCode: 'B110' })).toBe(false);
  });

  it('checks expense codes', () => {
    expect(flagsExpense(rule, { expenseCode: 'E999' })).toBe(true);
    expect(flagsExpense(rule, { expenseCode: null })).toBe(true);
    expect(flagsExpense(rule, { expenseCode: 'E124' })).toBe(false);
  });
});

describe('billing_increment', () => {
  const rule = buildRule('billing_increment', { hours: 0.1 }, { severity: 'adjust' });

  it('flags hours that are not a multiple and rounds them down', () => {
    const finding = only(rule, { hours: 125 });
    expect(finding.message).toBe(
      "1.25 h is not a multiple of the client's 0.1 h billing increment: record 1.2 h.",
    );
    expect(finding.correction).toEqual({ field: 'hours', from: 125, to: 120 });
  });

  it('passes exact multiples (boundary: 0.1 h itself)', () => {
    expect(flags(rule, { hours: 10 })).toBe(false);
    expect(flags(rule, { hours: 11 })).toBe(true);
  });

  it('honours a quarter-hour increment', () => {
    const quarter = buildRule('billing_increment', { hours: 0.25 });
    expect(flags(quarter, { hours: 75 })).toBe(false);
    expect(flags(quarter, { hours: 70 })).toBe(true);
  });
});

describe('max_entry_hours', () => {
  const rule = buildRule('max_entry_hours', { hours: 4.0 }, { severity: 'block' });

  it('flags an entry over the limit in words the timekeeper understands', () => {
    const finding = only(rule, { hours: 470 });
    expect(finding).toMatchObject({
      severity: 'block',
      entity: 'time_entry',
      entityId: 'TE-1',
      matter: 'M-100',
    });
    expect(finding.message).toBe(
      "4.7 h exceeds the client's 4.0 h per-entry limit: split the entry or get approval.",
    );
    expect(finding.correction).toBeUndefined();
  });

  it('passes 4.0 h at a 4.0 h limit and flags 4.1 h', () => {
    expect(flags(rule, { hours: 400 })).toBe(false);
    expect(flags(rule, { hours: 410 })).toBe(true);
  });

  it('never flags non-billable time, which does not reach the client', () => {
    expect(flags(rule, { hours: 900, billable: false })).toBe(false);
  });
});

describe('narrative_length', () => {
  const rule = buildRule('narrative_length', { min_words: 5, max_chars: 40 });

  it('flags a narrative with too few words', () => {
    expect(only(rule, { narrative: 'Call with client' }).message).toContain('has 3 words');
  });

  it('flags a narrative over the character limit', () => {
    expect(only(rule, { narrative: 'x '.repeat(21) }).message).toContain('42 characters');
  });

  it('passes exactly 5 words and exactly 40 characters', () => {
    expect(flags(rule, { narrative: 'Draft reply brief on jurisdiction' })).toBe(false);
    expect(flags(rule, { narrative: 'Draft reply' })).toBe(true);
    expect(flags(rule, { narrative: 'Draft reply brief on personal jurisdic.' + 'n' })).toBe(false);
    expect(flags(rule, { narrative: 'Draft reply brief on personal jurisdicti.' + 'n' })).toBe(
      true,
    );
  });
});

describe('rate_cap', () => {
  const rule = buildRule(
    'rate_cap',
    { max_rate: 700, by_classification: { PT: 600 } },
    { severity: 'adjust' },
  );

  it('reduces a partner rate above the classification cap to the cap', () => {
    const finding = only(rule, { classification: 'PT', rate: 65000 });
    expect(finding.correction).toEqual({ field: 'rate', from: 65000, to: 60000 });
    expect(finding.message).toBe(
      "Rate 650.00/h is above the client's 600.00/h cap for PT timekeepers: bill at 600.00/h.",
    );
  });

  it('applies the overall cap to classifications without their own (boundary at the cap)', () => {
    expect(flags(rule, { classification: 'AS', rate: 70000 })).toBe(false);
    expect(flags(rule, { classification: 'AS', rate: 70001 })).toBe(true);
    expect(flags(rule, { classification: 'PT', rate: 60000 })).toBe(false);
  });

  it('leaves classifications without any cap alone', () => {
    const partnersOnly = buildRule('rate_cap', { by_classification: { PT: 600 } });
    expect(flags(partnersOnly, { classification: 'AS', rate: 99900 })).toBe(false);
  });

  it('reports but does not correct when the severity is warn', () => {
    const warn = buildRule('rate_cap', { max_rate: 100 });
    expect(only(warn, { rate: 40000 }).correction).toBeUndefined();
  });
});

describe('approved_rate', () => {
  const rule = buildRule('approved_rate', {}, { severity: 'adjust' });

  it('reduces a rate above the approved rate to it', () => {
    const finding = only(rule, { rate: 42500, approvedRate: 40000 });
    expect(finding.correction).toEqual({ field: 'rate', from: 42500, to: 40000 });
    expect(finding.message).toContain("JDOE's approved rate of 400.00/h");
  });

  it('passes the approved rate itself and a matter with no approved rate', () => {
    expect(flags(rule, { rate: 40000, approvedRate: 40000 })).toBe(false);
    expect(flags(rule, { rate: 40001, approvedRate: 40000 })).toBe(true);
    expect(flags(rule, { rate: 99900, approvedRate: null })).toBe(false);
  });
});

describe('approved_timekeeper', () => {
  const rule = buildRule('approved_timekeeper', {}, { severity: 'block' });

  it('flags a timekeeper missing from the matter list', () => {
    const finding = only(rule, { matterApprovedTimekeeperIds: ['tk-2', 'tk-3'] });
    expect(finding.message).toContain('JDOE is not an approved timekeeper on matter M-100');
  });

  it('passes a listed timekeeper, and everyone when the matter has no list', () => {
    expect(flags(rule, { matterApprovedTimekeeperIds: ['tk-1'] })).toBe(false);
    expect(flags(rule, { matterApprovedTimekeeperIds: [] })).toBe(false);
  });
});

describe('staffing', () => {
  const rule = buildRule('staffing', { classifications: ['LA', 'OT'] }, { severity: 'adjust' });

  it('writes time by an unpaid classification down to zero', () => {
    expect(only(rule, { classification: 'LA' }).correction).toEqual({
      field: 'amount',
      factor: '0',
    });
  });

  it('passes paid classifications', () => {
    expect(flags(rule, { classification: 'PL' })).toBe(false);
  });
});

describe('late_entry', () => {
  const rule = buildRule('late_entry', { max_days: 30 });
  const period = { start: '2026-03-01', end: '2026-03-31' };
  const run = (workDate: string) =>
    evaluateRules(rule, {
      timeEntries: [buildTimeEntry({ workDate })],
      expenses: [buildExpense({ workDate })],
      period,
    });

  it('flags work dated more than max_days before the period end, time and expenses alike', () => {
    const findings = run('2026-02-28');
    expect(findings.map((f) => f.entity)).toEqual(['time_entry', 'expense']);
    expect(findings[0]?.message).toContain(
      '31 days before the end of the billed period (2026-03-31)',
    );
  });

  it('passes work exactly max_days before the period end', () => {
    expect(run('2026-03-01')).toEqual([]);
  });

  it('needs a period being billed', () => {
    expect(
      evaluateRules(rule, { timeEntries: [buildTimeEntry({ workDate: '2020-01-01' })] }),
    ).toEqual([]);
  });
});

describe('matter_closed', () => {
  const rule = buildRule('matter_closed', {}, { severity: 'block' });

  it('flags work after the closing date', () => {
    expect(only(rule, { workDate: '2026-03-11', matterClosedOn: '2026-03-10' }).message).toContain(
      'after matter M-100 closed on 2026-03-10',
    );
    expect(flagsExpense(rule, { workDate: '2026-03-11', matterClosedOn: '2026-03-10' })).toBe(true);
  });

  it('passes work on the closing date and on open matters', () => {
    expect(flags(rule, { workDate: '2026-03-10', matterClosedOn: '2026-03-10' })).toBe(false);
    expect(flags(rule, { matterClosedOn: null })).toBe(false);
  });
});

describe('findings', () => {
  it('carry the rule, owner, guideline and the custom message after the computed one', () => {
    const rule = buildRule(
      'max_entry_hours',
      { hours: 4 },
      { owner: 'responsible_attorney', message: 'OCG §5.2' },
    );
    const [finding] = evaluateRules(
      { ...rule, guidelineId: 'acme-2026' },
      {
        timeEntries: [buildTimeEntry({ hours: 500 })],
      },
    );
    expect(finding).toMatchObject({
      ruleId: 'test-max_entry_hours',
      kind: 'max_entry_hours',
      owner: 'responsible_attorney',
      guidelineId: 'acme-2026',
    });
    expect(finding?.message.endsWith('(OCG §5.2)')).toBe(true);
  });
});
