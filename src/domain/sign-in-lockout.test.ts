import { describe, expect, it } from 'vitest';
import { lockedUntil } from './sign-in-lockout.js';

const MINUTE = 60_000;
const rule = { maxFailures: 3, windowMs: 10 * MINUTE, lockoutMs: 15 * MINUTE };
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 27, 9) + minutes * MINUTE);

describe('lockedUntil', () => {
  it('is not locked below the number of failures', () => {
    expect(lockedUntil([at(0), at(1)], at(2), rule)).toBeNull();
  });

  it('locks from the failure that reaches the limit within the window, for the lockout time', () => {
    expect(lockedUntil([at(0), at(1), at(2)], at(3), rule)).toEqual(at(17));
    expect(lockedUntil([at(0), at(1), at(2)], at(17), rule)).toBeNull();
  });

  it('does not count failures spread wider than the window', () => {
    expect(lockedUntil([at(0), at(6), at(12)], at(13), rule)).toBeNull();
  });

  it('takes the latest lockout when failures go on', () => {
    expect(lockedUntil([at(2), at(0), at(1), at(5)], at(6), rule)).toEqual(at(20));
  });
});
