import { describe, expect, it } from 'vitest';
import { buildRule, buildTimeEntry, evaluateRules } from './guideline-factories.js';
import type { GuidelineRule, TimeEntryInput } from './guideline.types.js';
import { blockBilledTasks } from './kinds/narrative.js';

function findingsFor(rule: GuidelineRule, entry: Partial<TimeEntryInput>) {
  return evaluateRules(rule, { timeEntries: [buildTimeEntry(entry)] });
}
const flags = (rule: GuidelineRule, narrative: string) =>
  findingsFor(rule, { narrative }).length > 0;

describe('block_billing', () => {
  const rule = buildRule('block_billing');

  it('flags tasks separated by semicolons under one time value', () => {
    const [finding] = findingsFor(rule, {
      narrative: 'Telephone conference with client; draft letter to opposing counsel',
    });
    expect(finding?.message).toContain(
      'lumps 2 tasks ("Telephone conference with client" and "draft letter to opposing counsel")',
    );
  });

  it('flags three different task verbs, in any form', () => {
    expect(flags(rule, 'Researched case law, drafted memo and called client re strategy')).toBe(
      true,
    );
  });

  it('passes one task, even with two verbs or a one-word fragment after a semicolon', () => {
    expect(flags(rule, 'Review and revise reply brief on personal jurisdiction')).toBe(false);
    expect(flags(rule, 'Draft motion to compel; revised')).toBe(false);
    expect(blockBilledTasks('Review documents produced by Acme')).toBeNull();
  });
});

describe('vague_narrative', () => {
  const rule = buildRule('vague_narrative', { min_words: 3 });

  it('flags a narrative made only of vague phrases', () => {
    const [finding] = findingsFor(rule, { narrative: 'Attention to matter; review file' });
    expect(finding?.message).toContain('"Attention to matter" does not say what was done');
  });

  it('flags a narrative shorter than min_words, at the boundary', () => {
    expect(flags(rule, 'Telephone call')).toBe(true);
    expect(flags(rule, 'Call opposing counsel')).toBe(false);
  });

  it('passes a specific narrative that contains a vague phrase', () => {
    expect(flags(rule, 'Review file for privileged claim notes before production')).toBe(false);
  });

  it('uses the terms given instead of the defaults', () => {
    const custom = buildRule('vague_narrative', { terms: ['general matters'], min_words: 1 });
    expect(flags(custom, 'General matters')).toBe(true);
    expect(flags(custom, 'Attention to matter')).toBe(false);
  });

  it('leaves an empty narrative to required_fields', () => {
    expect(flags(rule, '')).toBe(false);
  });
});

describe('banned_terms', () => {
  const rule = buildRule(
    'banned_terms',
    { terms: ['status report', 'organize'] },
    { severity: 'block' },
  );

  it('flags a banned phrase in any case and spacing', () => {
    const [finding] = findingsFor(rule, {
      narrative: 'Prepare monthly STATUS  Report for claims team',
    });
    expect(finding?.message).toBe(
      `The narrative uses "STATUS  Report", which the client's guideline does not accept: reword the narrative.`,
    );
  });

  it('matches whole words only', () => {
    expect(flags(rule, 'Organize exhibits for deposition of adjuster')).toBe(true);
    expect(flags(rule, 'Reorganized argument in reply brief')).toBe(false);
    expect(flags(rule, 'Draft status update to client')).toBe(false);
  });
});

describe('clerical_work', () => {
  const rule = buildRule('clerical_work', {}, { severity: 'adjust' });

  it('flags clerical work from the default list and writes it down to zero', () => {
    const [finding] = findingsFor(rule, { narrative: 'Scanning and e-filing of answer' });
    expect(finding?.correction).toEqual({ field: 'amount', factor: '0' });
    expect(finding?.message).toContain('is clerical work the client does not pay for');
  });

  it('passes legal work without clerical terms, but not filing dressed up as review', () => {
    expect(flags(rule, 'Draft answer and affirmative defenses for filing review')).toBe(true);
    expect(flags(rule, 'Draft answer and affirmative defenses to complaint')).toBe(false);
  });
});

describe('travel_time', () => {
  const rule = buildRule(
    'travel_time',
    { rate_factor: 0.5, task_codes: ['L450'] },
    { severity: 'adjust' },
  );

  it('bills travel at the factor, found by narrative', () => {
    const [finding] = findingsFor(rule, {
      narrative: 'Travel to Chicago for deposition of adjuster',
    });
    expect(finding?.correction).toEqual({ field: 'amount', factor: '0.5' });
    expect(finding?.message).toContain('is billed at 50% of the rate');
  });

  it('finds travel by task code', () => {
    expect(
      findingsFor(rule, { taskCode: 'L450', narrative: 'Attend hearing on motion' }),
    ).toHaveLength(1);
  });

  it('passes work that is not travel', () => {
    expect(flags(rule, 'Prepare deposition outline for adjuster')).toBe(false);
    expect(flags(rule, 'Attend deposition of adjuster in Chicago')).toBe(false);
  });

  it('says travel is not billable at factor 0', () => {
    const none = buildRule('travel_time', { rate_factor: 0 });
    expect(findingsFor(none, { narrative: 'Drove to courthouse' })[0]?.message).toContain(
      'is not billable',
    );
  });
});

describe('expression', () => {
  const rule = buildRule('expression', {
    when: 'timekeeper.classification == "PT" && entry.activity_code == "A102" && entry.hours > 2.0',
    message: 'Research over 2 hours should be done by an associate.',
  });

  it('flags an entry the CEL condition matches, with the rule message', () => {
    const [finding] = findingsFor(rule, { classification: 'PT', activityCode: 'A102', hours: 210 });
    expect(finding?.message).toBe('Research over 2 hours should be done by an associate.');
  });

  it('passes at the boundary and when another part of the condition is false', () => {
    expect(findingsFor(rule, { classification: 'PT', activityCode: 'A102', hours: 200 })).toEqual(
      [],
    );
    expect(findingsFor(rule, { classification: 'AS', activityCode: 'A102', hours: 500 })).toEqual(
      [],
    );
  });

  it('sees the matter, the client and money as decimals', () => {
    const custom = buildRule('expression', {
      when: 'client.code == "ACME" && matter.closing_date == "" && entry.amount > 500.0 && size(matter.approved_timekeepers) == 0',
      message: 'Large entry',
    });
    expect(findingsFor(custom, { hours: 150, rate: 40000 })).toHaveLength(1);
    expect(findingsFor(custom, { hours: 125, rate: 40000 })).toHaveLength(0);
  });

  it('turns a runtime error into a finding instead of stopping the run', () => {
    const broken = buildRule('expression', { when: 'int(entry.narrative) > 1', message: 'x' });
    expect(findingsFor(broken, {})[0]?.message).toContain('could not be evaluated');
  });
});
