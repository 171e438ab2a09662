/** How failed sign-ins turn into a temporary lockout. */
export interface LockoutRule {
  /** Failures within `windowMs` that start a lockout. */
  maxFailures: number;
  windowMs: number;
  /** How long the lockout lasts after the failure that started it. */
  lockoutMs: number;
}

/**
 * When the lockout for one key (an email or IP address) ends, or null when it is not locked:
 * locked while some failure less than `lockoutMs` ago was the `maxFailures`-th within
 * `windowMs`. `failures` are the key's failure times, any order.
 */
export function lockedUntil(failures: readonly Date[], now: Date, rule: LockoutRule): Date | null {
  const times = failures.map((f) => f.getTime()).sort((a, b) => a - b);
  let until: number | null = null;
  for (let i = rule.maxFailures - 1; i < times.length; i += 1) {
    const last = times[i] as number;
    const first = times[i - rule.maxFailures + 1] as number;
    if (last - first < rule.windowMs) until = Math.max(until ?? 0, last + rule.lockoutMs);
  }
  return until !== null && until > now.getTime() ? new Date(until) : null;
}
