import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGuideline } from './parse-guideline.js';
import { paramsInWords } from './params-in-words.js';

const northwind = readFileSync(
  new URL('../../../examples/guidelines/northwind-logistics.yaml', import.meta.url),
  'utf8',
);

function wordsOf(ruleId: string): string {
  const parsed = parseGuideline(northwind);
  if (!('guideline' in parsed)) throw new Error('the example guideline should parse');
  const rule = parsed.guideline.rules.find((r) => r.id === ruleId)!;
  return paramsInWords(rule.kind, rule.params);
}

describe('params in words', () => {
  it('writes hours from hundredths and money from cents', () => {
    expect(wordsOf('entry-cap')).toBe('hours: 4.00 h');
    expect(wordsOf('meals-cap')).toBe('expense code: E111; max amount: 75.00');
    expect(wordsOf('rate-caps')).toBe(
      'max rate: 750.00; by classification: PT 650.00, OC 600.00, AS 425.00, PL 195.00',
    );
  });

  it('writes yes and no, quoted terms, lists and percents', () => {
    expect(wordsOf('codes')).toBe(
      'task set: litigation; require task: yes; require activity: yes; require expense: yes',
    );
    expect(wordsOf('banned')).toBe(
      'terms: “organize file”, “status report”, “administrative”, “per our discussion”',
    );
    expect(wordsOf('budget')).toBe('threshold percent: 90%');
  });

  it('leaves out params left unset and says none for a kind without params', () => {
    expect(
      paramsInWords('expense_cap', { expense_code: 'E101', max_unit_cost: 10, max_amount: null }),
    ).toBe('expense code: E101; max unit cost: 0.10');
    expect(paramsInWords('block_billing', {})).toBe('none');
  });

  it('shows the params of an unknown kind as text', () => {
    expect(paramsInWords('no_such_kind', { limit: 3, codes: ['A', 'B'] })).toBe(
      'limit: 3; codes: A, B',
    );
  });
});
