import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import type { RateCandidate, RateQuery } from './rates.js';
import { resolveRate } from './rates.js';

const query: RateQuery = {
  timekeeperId: 'tk1',
  timekeeperCode: 'JSMITH',
  matterId: 'm1',
  matterCode: '1001-001',
  clientId: 'c1',
  currency: 'USD',
  workDate: '2026-06-15',
  standardRate: 50000,
  standardRateCurrency: 'USD',
};

function rate(overrides: Partial<RateCandidate>): RateCandidate {
  return {
    rateId: 'r',
    timekeeperId: 'tk1',
    clientId: null,
    matterId: null,
    rate: 40000,
    currency: 'USD',
    effectiveFrom: '2026-01-01',
    effectiveTo: null,
    ...overrides,
  };
}

describe('rate lookup', () => {
  it('prefers a matter rate over a client rate over the default over the standard rate', () => {
    const defaultRate = rate({ rateId: 'default', rate: 45000 });
    const clientRate = rate({ rateId: 'client', clientId: 'c1', rate: 42000 });
    const matterRate = rate({ rateId: 'matter', clientId: 'c1', matterId: 'm1', rate: 39000 });
    expect(resolveRate(query, [defaultRate, clientRate, matterRate])).toMatchObject({
      rateId: 'matter',
      scope: 'matter',
      rate: 39000,
    });
    expect(resolveRate(query, [defaultRate, clientRate])).toMatchObject({
      rateId: 'client',
      scope: 'client',
    });
    expect(resolveRate(query, [defaultRate])).toMatchObject({
      rateId: 'default',
      scope: 'default',
    });
    expect(resolveRate(query, [])).toMatchObject({ scope: 'standard', rate: 50000, rateId: null });
  });

  it('includes both effective_from and effective_to days', () => {
    const juneOnly = rate({
      rateId: 'june',
      matterId: 'm1',
      effectiveFrom: '2026-06-15',
      effectiveTo: '2026-06-15',
    });
    expect(resolveRate(query, [juneOnly]).rateId).toBe('june');
    expect(resolveRate({ ...query, workDate: '2026-06-14' }, [juneOnly]).scope).toBe('standard');
    expect(resolveRate({ ...query, workDate: '2026-06-16' }, [juneOnly]).scope).toBe('standard');
  });

  it('falls back to a broader scope when the specific rate has expired', () => {
    const expiredMatter = rate({ rateId: 'old-matter', matterId: 'm1', effectiveTo: '2026-05-31' });
    const clientRate = rate({ rateId: 'client', clientId: 'c1' });
    expect(resolveRate(query, [expiredMatter, clientRate]).rateId).toBe('client');
  });

  it('takes the latest start date when two rows of one scope both cover the day', () => {
    const older = rate({ rateId: 'older', effectiveFrom: '2026-01-01' });
    const raise = rate({ rateId: 'raise', effectiveFrom: '2026-06-01', rate: 47500 });
    expect(resolveRate(query, [older, raise]).rateId).toBe('raise');
    expect(resolveRate(query, [raise, older]).rateId).toBe('raise');
    expect(resolveRate({ ...query, workDate: '2026-05-31' }, [older, raise]).rateId).toBe('older');
  });

  it('ignores other matters, other clients, other timekeepers and other currencies', () => {
    const candidates = [
      rate({ rateId: 'other-matter', matterId: 'm2', clientId: 'c1' }),
      rate({ rateId: 'other-client', clientId: 'c2' }),
      rate({ rateId: 'other-tk', timekeeperId: 'tk2' }),
      rate({ rateId: 'eur', currency: 'EUR' }),
    ];
    expect(resolveRate(query, candidates).scope).toBe('standard');
  });

  it('fails with RATE_NOT_FOUND naming timekeeper, matter and date when nothing applies', () => {
    const noStandard = { ...query, standardRate: null, standardRateCurrency: null };
    try {
      resolveRate(noStandard, [rate({ effectiveFrom: '2026-07-01' })]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('RATE_NOT_FOUND');
      expect((error as AppError).message).toContain('JSMITH');
      expect((error as AppError).message).toContain('1001-001');
      expect((error as AppError).message).toContain('2026-06-15');
    }
  });

  it('does not use a standard rate in another currency', () => {
    const gbpMatter = { ...query, currency: 'GBP' };
    expect(() => resolveRate(gbpMatter, [])).toThrow(/No GBP rate/);
  });
});
