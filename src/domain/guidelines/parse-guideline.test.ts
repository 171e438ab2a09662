import { describe, expect, it } from 'vitest';
import acmeText from '../../../examples/guidelines/acme-insurance.yaml?raw';
import firmText from '../../../examples/guidelines/firm-default.yaml?raw';
import type { Guideline } from './guideline.types.js';
import { effectiveRules } from './merge-guidelines.js';
import { parseGuideline, type GuidelineError } from './parse-guideline.js';

function errorsOf(text: string): GuidelineError[] {
  const result = parseGuideline(text);
  if ('guideline' in result) throw new Error('expected the document to be rejected');
  return result.errors;
}

function guidelineOf(text: string): Guideline {
  const result = parseGuideline(text);
  if ('errors' in result) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.guideline;
}

const HEADER = `id: test
client: ACME
name: Test guideline
effective_from: 2026-01-01
rules:
`;

describe('parseGuideline', () => {
  it('parses the example firm-wide and client guidelines', () => {
    const firm = guidelineOf(firmText);
    const acme = guidelineOf(acmeText);
    expect(firm.client).toBe('*');
    expect(acme.client).toBe('ACME');
    expect(acme.rules.length).toBeGreaterThanOrEqual(20);
    expect(acme.disabledRuleIds).toEqual(['narrative-length']);
    const kinds = new Set(acme.rules.map((rule) => rule.kind));
    for (const kind of ['max_daily_hours', 'internal_conference', 'expression', 'budget']) {
      expect(kinds).toContain(kind);
    }
  });

  it('reads hours and money exactly, fills defaults and keeps the custom message', () => {
    const guideline = guidelineOf(`${HEADER}  - id: cap
    kind: rate_cap
    params: { by_classification: { PT: 650.1, AS: "400.00" } }
    severity: adjust
    owner: billing_coordinator
    message: OCG 3.2
  - id: inc
    kind: billing_increment
    severity: warn
    owner: timekeeper
`);
    const [cap, inc] = guideline.rules;
    expect(cap).toMatchObject({
      kind: 'rate_cap',
      params: { max_rate: null, by_classification: { PT: 65010, AS: 40000 } },
      message: 'OCG 3.2',
      enabled: true,
    });
    expect(inc).toMatchObject({ kind: 'billing_increment', params: { hours: 10 } });
  });

  it('accepts JSON documents', () => {
    const json = JSON.stringify({
      id: 'json',
      client: '*',
      name: 'JSON guideline',
      effective_from: '2026-03-01',
      rules: [
        {
          id: 'cap',
          kind: 'max_entry_hours',
          params: { hours: 4 },
          severity: 'block',
          owner: 'timekeeper',
        },
      ],
    });
    expect(guidelineOf(json).rules[0]).toMatchObject({ params: { hours: 400 } });
  });

  it('reports an unknown kind at its value, listing the valid kinds', () => {
    const errors = errorsOf(`${HEADER}  - id: a
    kind: max_entry_hour
    params: { hours: 4 }
    severity: block
    owner: timekeeper
`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 7, column: 11, path: 'rules[0].kind' });
    expect(errors[0]?.message).toContain('unknown kind "max_entry_hour"');
    expect(errors[0]?.message).toContain('max_entry_hours, max_daily_hours');
  });

  it('reports a wrongly typed param at its value, listing the params of the kind with their types', () => {
    const errors = errorsOf(`${HEADER}  - id: a
    kind: max_entry_hours
    params:
      hours: four
    severity: block
    owner: timekeeper
`);
    expect(errors).toEqual([
      {
        line: 9,
        column: 14,
        path: 'rules[0].params.hours',
        message:
          'param "hours" of max_entry_hours must be hours, a decimal such as 0.1 (got "four"); valid params of max_entry_hours: hours (hours, a decimal such as 0.1; required)',
      },
    ]);
  });

  it('reports an unknown param at its key and does not also call a required one missing', () => {
    const errors = errorsOf(`${HEADER}  - id: a
    kind: travel_time
    params: { rate_factor: 0.5, factor: 0.5 }
    severity: adjust
    owner: billing_coordinator
`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 8, column: 33, path: 'rules[0].params.factor' });
    expect(errors[0]?.message).toContain('unknown param "factor" for kind travel_time');
    expect(errors[0]?.message).toContain('rate_factor (decimal between 0 and 1, e.g. 0.5)');
  });

  it('reports a duplicate rule id at the second use, naming the first line', () => {
    const errors = errorsOf(`${HEADER}  - id: same
    kind: block_billing
    severity: warn
    owner: timekeeper
  - id: same
    kind: duplicate_entry
    severity: warn
    owner: timekeeper
`);
    expect(errors).toEqual([
      {
        line: 10,
        column: 9,
        path: 'rules[1].id',
        message: 'duplicate rule id "same" (first used on line 6); rule ids must be unique',
      },
    ]);
  });

  it('reports a bad severity and a bad owner at their values', () => {
    const errors = errorsOf(`${HEADER}  - id: a
    kind: block_billing
    severity: reject
    owner: partner
`);
    expect(errors.map(({ line, column, path }) => ({ line, column, path }))).toEqual([
      { line: 8, column: 15, path: 'rules[0].severity' },
      { line: 9, column: 12, path: 'rules[0].owner' },
    ]);
    expect(errors[0]?.message).toBe('severity must be one of block, warn, adjust (got "reject")');
    expect(errors[1]?.message).toContain('timekeeper, billing_coordinator, responsible_attorney');
  });

  it('reports every problem of a document at once, in document order', () => {
    const errors = errorsOf(`id: test
client: ACME
name: Test
effective_from: 2026-02-30
rules:
  - id: a
    kind: max_entry_hours
    severity: adjust
    owner: timekeeper
  - id: b
    kind: block_billing
    severity: adjust
    owner: timekeeper
    colour: red
`);
    expect(errors.map((e) => [e.line, e.column, e.path])).toEqual([
      [4, 17, 'effective_from'],
      [6, 5, 'rules[0].params.hours'],
      [12, 15, 'rules[1].severity'],
      [14, 5, 'rules[1]'],
    ]);
    expect(errors[1]?.message).toContain('missing param "hours"');
    expect(errors[2]?.message).toContain('severity adjust is not available for block_billing');
    expect(errors[3]?.message).toContain('unknown key "colour"');
  });

  it('points a CEL error at the offending character inside the expression', () => {
    const errors = errorsOf(`${HEADER}  - id: custom
    kind: expression
    params:
      when: 'entry.hourz > 2.0'
      message: Too long
    severity: warn
    owner: legal_ops
`);
    expect(errors).toHaveLength(1);
    // Column 13 is the opening quote; "hourz" starts 6 characters into the expression.
    expect(errors[0]).toMatchObject({ line: 9, column: 20, path: 'rules[0].params.when' });
    expect(errors[0]?.message).toContain('No such key: hourz');
  });

  it('rejects a CEL expression that is not a condition', () => {
    const errors = errorsOf(`${HEADER}  - id: custom
    kind: expression
    params: { when: 'entry.hours * 2.0', message: x }
    severity: warn
    owner: legal_ops
`);
    expect(errors[0]?.message).toContain('must be true or false, but gives a double');
  });

  it('asks for at least one limit on a cap with none', () => {
    const errors = errorsOf(`${HEADER}  - id: copies
    kind: expense_cap
    params: { expense_code: E101 }
    severity: warn
    owner: billing_coordinator
`);
    expect(errors[0]?.message).toContain(
      'expense_cap needs at least one of max_unit_cost, max_amount',
    );
  });

  it('reports broken YAML with its position', () => {
    const errors = errorsOf('id: a\nrules: [\n');
    expect(errors[0]?.line).toBeGreaterThanOrEqual(2);
  });
});

describe('effectiveRules', () => {
  const firm = guidelineOf(firmText);
  const acme = guidelineOf(acmeText);

  it('lets a client rule with the same id override the firm-wide rule', () => {
    const rules = effectiveRules(firm, acme);
    const daily = rules.filter((rule) => rule.id === 'daily-hours');
    expect(daily).toHaveLength(1);
    expect(daily[0]).toMatchObject({
      severity: 'block',
      params: { hours: 1000 },
      guidelineId: 'acme-insurance-2026',
    });
  });

  it('drops a firm-wide rule the client switches off with enabled: false', () => {
    const ids = effectiveRules(firm, acme).map((rule) => rule.id);
    expect(ids).not.toContain('narrative-length');
    expect(ids).toContain('acme-narrative-length');
  });

  it('keeps firm-wide rules the client does not mention, tagged with the firm guideline', () => {
    const duplicates = effectiveRules(firm, acme).find((rule) => rule.id === 'duplicates');
    expect(duplicates?.guidelineId).toBe('firm-default');
  });

  it('disables a firm-wide rule with a full client rule marked enabled: false', () => {
    const client = guidelineOf(`${HEADER}  - id: duplicates
    kind: duplicate_entry
    severity: warn
    owner: timekeeper
    enabled: false
`);
    const ids = effectiveRules(firm, client).map((rule) => rule.id);
    expect(ids).not.toContain('duplicates');
  });

  it('works with only one of the two guidelines', () => {
    expect(effectiveRules(firm, null)).toHaveLength(firm.rules.length);
    expect(effectiveRules(null, acme)).toHaveLength(acme.rules.length);
    expect(effectiveRules(null, null)).toEqual([]);
  });
});
