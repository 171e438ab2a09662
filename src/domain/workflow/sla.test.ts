import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVOICE_STATES, TERMINAL_STATES } from './invoice-states.js';
import { businessDeadline, DEFAULT_STAGE_SLAS, isBusinessDay, isOverdue } from './sla.js';

// 2026-11-27 is a Friday; 2026-11-26 (Thursday) is Thanksgiving in this calendar.
const CALENDAR = { holidays: ['2026-11-26', '2026-12-25'] };

describe('businessDeadline', () => {
  it.each([
    ['Thursday to Friday', '2026-11-19T15:00:00Z', 1, '2026-11-20T15:00:00.000Z'],
    ['Friday over the weekend to Monday', '2026-11-27T15:00:00Z', 1, '2026-11-30T15:00:00.000Z'],
    ['Friday plus two to Tuesday', '2026-11-27T15:00:00Z', 2, '2026-12-01T15:00:00.000Z'],
    ['Saturday to Monday', '2026-11-28T10:00:00Z', 1, '2026-11-30T10:00:00.000Z'],
    ['Sunday late to Monday', '2026-11-29T23:30:00Z', 1, '2026-11-30T23:30:00.000Z'],
    [
      'Wednesday over a Thursday holiday to Friday',
      '2026-11-25T09:00:00Z',
      1,
      '2026-11-27T09:00:00.000Z',
    ],
    [
      'Wednesday plus three over holiday and weekend',
      '2026-11-25T09:00:00Z',
      3,
      '2026-12-01T09:00:00.000Z',
    ],
    [
      'a holiday itself counts from the next working day',
      '2026-11-26T12:00:00Z',
      1,
      '2026-11-27T12:00:00.000Z',
    ],
    [
      'Christmas Eve over Christmas and the weekend',
      '2026-12-24T17:00:00Z',
      1,
      '2026-12-28T17:00:00.000Z',
    ],
    ['a year end', '2026-12-31T08:00:00Z', 1, '2027-01-01T08:00:00.000Z'],
  ])('counts %s', (_label, enteredAt, businessDays, due) => {
    expect(businessDeadline(enteredAt, { businessDays }, CALENDAR)).toBe(due);
  });

  it('works in UTC whatever offset the timestamp was written with', () => {
    // 23:00 on Friday in New York is already Saturday 04:00 UTC.
    expect(businessDeadline('2026-11-27T23:00:00-05:00', { businessDays: 1 }, CALENDAR)).toBe(
      '2026-11-30T04:00:00.000Z',
    );
  });

  it('lets a firm choose its weekend days', () => {
    const fridaySaturday = { weekendDays: [5, 6], holidays: [] };
    expect(businessDeadline('2026-11-26T10:00:00Z', { businessDays: 1 }, fridaySaturday)).toBe(
      '2026-11-29T10:00:00.000Z',
    );
  });

  it('runs hours around the clock, weekends included', () => {
    expect(businessDeadline('2026-11-27T20:00:00Z', { hours: 24 }, CALENDAR)).toBe(
      '2026-11-28T20:00:00.000Z',
    );
  });

  it('refuses bad input rather than guessing', () => {
    expect(() => businessDeadline('2026-11-27', { hours: 1 }, CALENDAR)).toThrow(RangeError);
    expect(() => businessDeadline('2026-11-27T10:00:00', { hours: 1 }, CALENDAR)).toThrow(
      RangeError,
    );
    expect(() => businessDeadline('2026-11-27T10:00:00Z', { businessDays: 0 }, CALENDAR)).toThrow(
      RangeError,
    );
    expect(() => businessDeadline('2026-11-27T10:00:00Z', { hours: 1.5 }, CALENDAR)).toThrow(
      RangeError,
    );
    expect(() =>
      businessDeadline('2026-11-27T10:00:00Z', { businessDays: 1 }, { holidays: ['26/11/2026'] }),
    ).toThrow(RangeError);
    const neverWorks = { weekendDays: [0, 1, 2, 3, 4, 5, 6], holidays: [] };
    expect(() => businessDeadline('2026-11-27T10:00:00Z', { businessDays: 1 }, neverWorks)).toThrow(
      RangeError,
    );
  });

  it('always lands on a working day, after the entry, at the same time of day', () => {
    const day = fc
      .integer({ min: 0, max: 800 })
      .map((n) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000));
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 0, max: 86_399 }),
        fc.integer({ min: 1, max: 15 }),
        (date, second, businessDays) => {
          const enteredAt = new Date(date.getTime() + second * 1000).toISOString();
          const due = businessDeadline(enteredAt, { businessDays }, CALENDAR);
          expect(isBusinessDay(due.slice(0, 10), CALENDAR)).toBe(true);
          expect(due > enteredAt).toBe(true);
          expect(due.slice(10)).toBe(enteredAt.slice(10));
        },
      ),
    );
  });
});

describe('isOverdue', () => {
  const enteredAt = '2026-11-27T15:00:00Z';
  const sla = { businessDays: 1 };

  it('is on time up to and at the deadline, overdue just after it', () => {
    expect(isOverdue(enteredAt, sla, CALENDAR, '2026-11-29T23:59:59Z')).toBe(false);
    expect(isOverdue(enteredAt, sla, CALENDAR, '2026-11-30T15:00:00Z')).toBe(false);
    expect(isOverdue(enteredAt, sla, CALENDAR, '2026-11-30T15:00:01Z')).toBe(true);
  });

  it('refuses a malformed now', () => {
    expect(() => isOverdue(enteredAt, sla, CALENDAR, 'tomorrow')).toThrow(RangeError);
  });
});

describe('DEFAULT_STAGE_SLAS', () => {
  it('gives every stage where someone must act an SLA, and none to the finished ones', () => {
    for (const state of INVOICE_STATES) {
      expect(DEFAULT_STAGE_SLAS[state] === null).toBe(TERMINAL_STATES.includes(state));
    }
  });
});
