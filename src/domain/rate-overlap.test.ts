import { describe, expect, it } from 'vitest';
import type { RatePeriod } from './rates.js';
import { findOverlappingRate } from './rates.js';

const base: RatePeriod = {
  rateId: '1',
  timekeeperId: '7',
  clientId: null,
  matterId: null,
  currency: 'USD',
  effectiveFrom: '2026-01-01',
  effectiveTo: '2026-06-30',
};

const candidate = (overrides: Partial<RatePeriod>): RatePeriod => ({
  ...base,
  rateId: null,
  ...overrides,
});

describe('findOverlappingRate', () => {
  it('finds a rate whose range shares a day, bounds inclusive', () => {
    expect(
      findOverlappingRate(candidate({ effectiveFrom: '2026-06-30', effectiveTo: null }), [base]),
    ).toBe(base);
    expect(
      findOverlappingRate(candidate({ effectiveFrom: '2025-01-01', effectiveTo: '2026-01-01' }), [
        base,
      ]),
    ).toBe(base);
  });

  it('accepts ranges that meet without sharing a day', () => {
    expect(
      findOverlappingRate(candidate({ effectiveFrom: '2026-07-01', effectiveTo: null }), [base]),
    ).toBeNull();
    expect(
      findOverlappingRate(candidate({ effectiveFrom: '2025-01-01', effectiveTo: '2025-12-31' }), [
        base,
      ]),
    ).toBeNull();
  });

  it('treats a missing end as open-ended on either side', () => {
    const open = { ...base, effectiveTo: null };
    expect(
      findOverlappingRate(candidate({ effectiveFrom: '2030-01-01', effectiveTo: '2030-12-31' }), [
        open,
      ]),
    ).toBe(open);
  });

  it('ignores rates in another scope or currency, and the rate itself', () => {
    const overlapping = { effectiveFrom: '2026-03-01', effectiveTo: null };
    expect(findOverlappingRate(candidate({ ...overlapping, clientId: '3' }), [base])).toBeNull();
    expect(
      findOverlappingRate(candidate({ ...overlapping, matterId: '4', clientId: '3' }), [base]),
    ).toBeNull();
    expect(findOverlappingRate(candidate({ ...overlapping, currency: 'EUR' }), [base])).toBeNull();
    expect(
      findOverlappingRate(candidate({ ...overlapping, timekeeperId: '8' }), [base]),
    ).toBeNull();
    expect(findOverlappingRate({ ...base, effectiveTo: null }, [base])).toBeNull();
  });
});
