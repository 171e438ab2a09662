import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideRoundHalfUp, parseScaled } from '../money.js';
import { mapClassification } from './classification.js';
import { cleanValue } from './clean.js';
import {
  formatRate,
  formatUnits,
  isLedesDate,
  mulDivRoundHalfUp,
  readDecimal,
  taxOn,
} from './numbers.js';

describe('LEDES numbers and dates', () => {
  it('accepts only real calendar dates written YYYYMMDD', () => {
    for (const good of ['19990225', '20000229', '20281231'])
      expect(isLedesDate(good), good).toBe(true);
    for (const bad of [
      '19990229',
      '21000229',
      '20261301',
      '20260100',
      '2026-03-01',
      '2026031',
      '2026O301',
      '',
    ])
      expect(isLedesDate(bad), bad).toBe(false);
  });

  it('reads decimals exactly as parseScaled does, up to four decimals', () => {
    const unit = fc.constantFrom(...'0123456789.-+ x'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit, maxLength: 22 }), fc.double().map(String)), (text) => {
        expect(readDecimal(text)).toBe(parseScaled(text, 4));
        expect(readDecimal(text, 10)).toBe(parseScaled(text, 10));
      }),
      { numRuns: 2000 },
    );
    expect([readDecimal('1250.'), readDecimal('0.200'), readDecimal('-70')]).toEqual([
      12_500_000, 2_000, -700_000,
    ]);
    expect(readDecimal('0.00001')).toBeNull();
    expect(readDecimal('1.23450')).toBe(12_345);
  });

  it('multiplies and rounds half-up exactly, with or without BigInt', () => {
    fc.assert(
      fc.property(
        fc.maxSafeInteger(),
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.constantFrom(1, 100, 1_000_000),
        (a, b, d) => {
          let expected: number | null;
          try {
            expected = divideRoundHalfUp(BigInt(a) * BigInt(b), BigInt(d));
          } catch {
            expected = null;
          }
          expect(mulDivRoundHalfUp(a, b, d)).toBe(expected);
        },
      ),
    );
    expect(mulDivRoundHalfUp(-5, 1, 10)).toBe(-1);
    expect(mulDivRoundHalfUp(-4, 1, 10)).toBe(0);
  });

  it('computes tax on exact decimals: 0.25 at 2% is 0.005, rounded up to 0.01', () => {
    expect(taxOn(25, 20_000, 6)).toBe(1);
    expect(taxOn(63_000, 61_245, 6)).toBe(3858);
    expect(taxOn(-25, 20_000, 6)).toBe(-1);
  });

  it('writes units and rates without float noise or trailing zeros', () => {
    expect([200, 30, 125, 0, 1].map(formatUnits)).toEqual(['2', '0.3', '1.25', '0', '0.01']);
    expect(formatRate(200_000, 6)).toBe('0.2');
    expect(formatRate(61_245, 6)).toBe('0.061245');
    expect(formatRate(0, 6)).toBe('0');
    expect(formatRate(1_000_000, 6)).toBe('1');
  });
});

describe('cleaning values for the file', () => {
  it('leaves nothing that breaks a record and changes nothing else', () => {
    const unit = fc.constantFrom(...'ab |[]\r\n'.split(''));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (value) => {
        const cleaned = cleanValue(value);
        expect(cleaned).not.toMatch(/[|\r\n]|\[\]/);
        expect(cleaned.replace(/ /g, '')).toBe(value.replace(/[ |\r\n]|\[\]/g, ''));
      }),
    );
    expect(cleanValue('a\r\nb')).toBe('a b');
    expect(cleanValue('x[[]')).toBe('x[ ');
    const plain = 'Draft motion';
    expect(cleanValue(plain)).toBe(plain);
  });
});

describe('timekeeper classification mapping', () => {
  it('writes the original codes with PL as LA, or a client map, and never guesses', () => {
    expect(
      ['PT', 'AS', 'OC', 'LA', 'OT', 'PL'].map((c) => mapClassification(c, 'original')),
    ).toEqual(['PT', 'AS', 'OC', 'LA', 'OT', 'LA']);
    const custom = { custom: { PT: 'PARTNR', AS: 'ASSOC' } };
    expect(mapClassification('AS', custom)).toBe('ASSOC');
    expect(mapClassification('PL', custom)).toBeNull();
    expect(mapClassification('toString', 'original')).toBeNull();
  });
});
