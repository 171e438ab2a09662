import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_CODES,
  ALL_CODES,
  EXPENSE_CODES,
  TASK_CODES,
  findCode,
  isValidActivityCode,
  isValidExpenseCode,
  isValidTaskCode,
  searchCodes,
} from './utbms.js';

describe('UTBMS code sets', () => {
  it('holds the confirmed ABA sets and nothing invented', () => {
    expect(ACTIVITY_CODES.map((c) => c.code)).toEqual(
      Array.from({ length: 11 }, (_, i) => `A${101 + i}`),
    );
    expect(EXPENSE_CODES.map((c) => c.code)).toEqual(
      Array.from({ length: 24 }, (_, i) => `E${101 + i}`),
    );
    expect(findCode('A112')).toBeUndefined();
    expect(findCode('L600')).toBeUndefined();
    expect(findCode('L610')).toBeUndefined();
    const bySet = (set: string) => TASK_CODES.filter((c) => c.set === set).length;
    expect(bySet('litigation')).toBe(5 + 7 + 6 + 6 + 7 + 3);
    expect(bySet('counseling')).toBe(4);
    expect(bySet('project')).toBe(8 + 8);
    expect(bySet('bankruptcy')).toBe(4 + 11 + 6 + 2 + 2);
  });

  it('keeps every code unique across sets', () => {
    expect(new Set(ALL_CODES.map((c) => c.code)).size).toBe(ALL_CODES.length);
  });

  it('marks phases with tasks under them as roll-ups and gives each task its phase', () => {
    expect(findCode('L100')).toMatchObject({ phase: true, phaseCode: 'L100', set: 'litigation' });
    expect(findCode('L510')).toMatchObject({
      name: 'Appellate Motions and Submissions',
      phase: false,
      phaseCode: 'L500',
    });
    expect(findCode('P200')?.phase).toBe(true);
    expect(findCode('P210')?.phaseCode).toBe('P200');
    // Single-level codes are billed directly, so they are not roll-ups.
    expect(findCode('P100')?.phase).toBe(false);
    expect(findCode('C300')).toMatchObject({ phase: false, phaseCode: 'C300', kind: 'task' });
    expect(findCode('B185')).toMatchObject({ phaseCode: 'B100', set: 'bankruptcy' });
    expect(findCode('A102')).toMatchObject({ kind: 'activity', phase: false, phaseCode: null });
  });

  it('finds codes as typed but validates them exactly as written in a file', () => {
    expect(findCode(' l510 ')?.code).toBe('L510');
    expect(isValidTaskCode('L510', 'any')).toBe(true);
    expect(isValidTaskCode('l510', 'any')).toBe(false);
  });

  it('checks task codes against one set or any set', () => {
    expect(isValidTaskCode('L510', 'litigation')).toBe(true);
    expect(isValidTaskCode('L510', 'bankruptcy')).toBe(false);
    expect(isValidTaskCode('C100', 'counseling')).toBe(true);
    expect(isValidTaskCode('P280', 'project')).toBe(true);
    expect(isValidTaskCode('B420', 'any')).toBe(true);
    expect(isValidTaskCode('A102', 'any')).toBe(false);
    expect(isValidTaskCode('L180', 'any')).toBe(false);
  });

  it('checks activity and expense codes', () => {
    expect(isValidActivityCode('A111')).toBe(true);
    expect(isValidActivityCode('A112')).toBe(false);
    expect(isValidActivityCode('E101')).toBe(false);
    expect(isValidExpenseCode('E124')).toBe(true);
    expect(isValidExpenseCode('E125')).toBe(false);
    expect(isValidExpenseCode('L110')).toBe(false);
  });
});

describe('searching codes for a picker', () => {
  it('ranks the exact code, then code prefixes, then name words', () => {
    const codes = searchCodes('L11').map((c) => c.code);
    expect(codes).toEqual(['L110']);
    const l1 = searchCodes('l1').map((c) => c.code);
    expect(l1.slice(0, 3)).toEqual(['L100', 'L110', 'L120']);
    expect(searchCodes('L330')[0]?.code).toBe('L330');
  });

  it('puts a code match before a name match', () => {
    // "E1" matches codes by prefix; nothing here should come from name words.
    expect(searchCodes('e1', { kind: 'expense' })).toHaveLength(24);
    const mixed = searchCodes('a1');
    expect(mixed[0]?.kind).toBe('activity');
  });

  it('matches every query word against the start of a name word', () => {
    expect(searchCodes('depo').map((c) => c.code)).toEqual(['L330', 'E115']);
    expect(searchCodes('written disc').map((c) => c.code)).toEqual(['L310']);
    expect(searchCodes('communicate client').map((c) => c.code)).toEqual(['A106']);
    expect(searchCodes('zebra')).toEqual([]);
  });

  it('filters by kind and set and honours a limit', () => {
    expect(searchCodes('other', { set: 'bankruptcy' }).map((c) => c.code)).toEqual(['B190']);
    expect(searchCodes('other', { kind: 'expense' }).map((c) => c.code)).toEqual(['E123', 'E124']);
    expect(searchCodes('', { set: 'counseling' })).toHaveLength(4);
    expect(searchCodes('', { kind: 'activity', limit: 3 }).map((c) => c.code)).toEqual([
      'A101',
      'A102',
      'A103',
    ]);
  });
});
