/** Display helpers: money from integer cents, dates and ages, state names in words. */

/** Formats integer cents as money (the API never sends floats for money). */
export function money(cents: number | null | undefined, currency = 'USD'): string {
  if (cents === null || cents === undefined) return '—';
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  const text = `${whole}.${String(abs % 100).padStart(2, '0')}`;
  const symbol = currency === 'USD' ? '$' : `${currency} `;
  return `${negative ? '−' : ''}${symbol}${text}`;
}

/**
 * Formats a money field that the API nulls only when the user's roles may not see rates and
 * amounts (field-level rules, docs/security.md): null shows as "hidden".
 */
export function moneyOrHidden(cents: number | null | undefined, currency = 'USD'): string {
  return cents === null || cents === undefined ? 'hidden' : money(cents, currency);
}

/** Turns snake_case API words into plain words: "ready_for_approval" → "Ready for approval". */
export function words(text: string | null | undefined): string {
  if (!text) return '—';
  const spaced = text.replaceAll('_', ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** "3 d" / "5 h" since an instant. */
export function age(since: string, now = Date.now()): string {
  const hours = Math.max(0, Math.floor((now - Date.parse(since)) / 3_600_000));
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

/** A timestamp in the reader's locale. */
export function when(timestamp: string | null | undefined): string {
  if (!timestamp) return '—';
  return new Date(timestamp).toLocaleString('en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** YYYY-MM-DD of a Date in local time. */
export function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00`);
  d.setDate(d.getDate() + days);
  return isoDate(d);
}

/** The Monday of the week a YYYY-MM-DD date falls in. */
export function mondayOf(date: string): string {
  const d = new Date(`${date}T12:00:00`);
  const offset = (d.getDay() + 6) % 7;
  return addDays(date, -offset);
}
