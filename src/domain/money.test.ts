import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  divideRoundHalfUp,
  extendedAmount,
  feeAmount,
  formatHours,
  formatMoney,
  parseHours,
  parseMoney,
  parseScaled,
  sumCents,
} from './money.js';

describe('parsing and formatting money', () => {
  it('parses plain decimals into exact cents', () => {
    expect(parseMoney('1234.5')).toBe(123450);
    expect(parseMoney('0.10')).toBe(10);
    expect(parseMoney('-70')).toBe(-7000);
    expect(parseMoney('12.500')).toBe(1250);
    expect(parseMoney(' 7 ')).toBe(700);
  });

  it('refuses what is not a plain decimal or has sub-cent precision', () => {
    for (const bad of ['', '1,000.00', '$5', '1e3', '0.105', 'abc', '1.2.3', '.']) {
      expect(parseMoney(bad), bad).toBeNull();
    }
  });

  it('round-trips every integer amount through its string form', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => {
        expect(parseMoney(formatMoney(cents))).toBe(cents);
      }),
    );
  });

  it('formats with exactly two decimals', () => {
    expect(formatMoney(5)).toBe('0.05');
    expect(formatMoney(-5)).toBe('-0.05');
    expect(formatMoney(123450)).toBe('1234.50');
    expect(formatHours(25)).toBe('0.25');
  });

  it('round-trips hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2400 }), (hours) => {
        expect(parseHours(formatHours(hours))).toBe(hours);
      }),
    );
  });
});

describe('rounding half-up to the cent', () => {
  it('rounds exact halves away from zero', () => {
    expect(divideRoundHalfUp(5n, 10n)).toBe(1);
    expect(divideRoundHalfUp(15n, 10n)).toBe(2);
    expect(divideRoundHalfUp(-5n, 10n)).toBe(-1);
    expect(divideRoundHalfUp(4n, 10n)).toBe(0);
    expect(divideRoundHalfUp(-4n, 10n)).toBe(0);
  });

  it('values 0.25 h at 333.33/h as 83.33 (83.3325 rounded)', () => {
    expect(feeAmount(25, 33333)).toBe(8333);
  });

  it('values 1.5 h at 201.01/h as 301.52 (301.515 rounded half-up)', () => {
    expect(feeAmount(150, 20101)).toBe(30152);
  });

  it('agrees with exact rational arithmetic for every hours × rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2400 }),
        fc.integer({ min: 0, max: 500_000 }),
        (hours, rate) => {
          const product = hours * rate; // exact: well below 2^53
          const floor = Math.floor(product / 100);
          const remainder = product - floor * 100;
          const expected = remainder >= 50 ? floor + 1 : floor;
          expect(feeAmount(hours, rate)).toBe(expected);
        },
      ),
    );
  });

  it('always returns integers and never drifts when summing rounded lines', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 100_000 })),
          { maxLength: 200 },
        ),
        (lines) => {
          const amounts = lines.map(([q, cost]) => extendedAmount(q, cost));
          for (const amount of amounts) expect(Number.isSafeInteger(amount)).toBe(true);
          expect(sumCents(amounts)).toBe(amounts.reduce((a, b) => a + b, 0));
        },
      ),
    );
  });

  it('refuses non-integer inputs instead of rounding them silently', () => {
    expect(() => feeAmount(1.5, 100)).toThrow(RangeError);
    expect(() => sumCents([0.1, 0.2])).toThrow(RangeError);
  });

  it('parses scaled values without binary floating point', () => {
    // 0.1 + 0.2 !== 0.3 in floating point; the parser never adds floats.
    expect(parseScaled('0.3', 2)).toBe(30);
    expect(parseScaled('9007199254740.99', 2)).toBe(900719925474099);
  });
});
