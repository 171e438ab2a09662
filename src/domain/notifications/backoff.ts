/** Retry timing for failed deliveries: exponential, capped, and a limit after which a message is parked. */

/** First retry after 30 s, doubling each time, never more than 6 hours apart. */
export const BASE_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 6 * 3_600_000;

/** How long to wait before the next try after `attempts` failed tries (1 = the first failure). */
export function retryDelayMs(attempts: number): number {
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new RangeError(`attempts must be a positive whole number (got ${attempts})`);
  return Math.min(MAX_RETRY_MS, BASE_RETRY_MS * 2 ** Math.min(attempts - 1, 30));
}

/** What happens to a message whose delivery failed for the `attempts`-th time. */
export function afterFailure(
  attempts: number,
  maxAttempts: number,
  now: Date,
): { state: 'parked' } | { state: 'pending'; dueAt: Date } {
  if (attempts >= maxAttempts) return { state: 'parked' };
  return { state: 'pending', dueAt: new Date(now.getTime() + retryDelayMs(attempts)) };
}
