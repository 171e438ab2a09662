import {
  CODE_PATTERN,
  CODE_RULE,
  EMAIL_PATTERN,
  EXTERNAL_ID_PATTERN,
  EXTERNAL_ID_RULE,
  UTBMS_CODE_PATTERN,
  UTBMS_CODE_RULE,
} from '../../domain/codes.js';
import { isIsoDate } from '../../domain/dates.js';
import type { FieldIssue } from '../../domain/errors.js';
import { isCurrencyCode, parseScaled } from '../../domain/money.js';

const TRUE_WORDS = new Set(['yes', 'true']);
const FALSE_WORDS = new Set(['no', 'false']);

/**
 * Reads the cells of one CSV row into typed values, recording every problem with its row and
 * column. Getters return a placeholder when a cell is invalid so that a kind's parser can read
 * all columns and report all problems in one pass; `failed` then tells the value apart.
 *
 * One reader is reused for every row of a file to keep a large import's allocations flat.
 */
export class RowReader {
  row = 0;
  failed = false;
  private record: Record<string, string | undefined> = {};

  constructor(private readonly issues: FieldIssue[]) {}

  /** Points the reader at the next row. */
  start(record: Record<string, string | undefined>, row: number): void {
    this.record = record;
    this.row = row;
    this.failed = false;
  }

  /** Records a problem in `field` of the current row. */
  fail(field: string, message: string): void {
    this.issues.push({ row: this.row, field, message });
    this.failed = true;
  }

  /** The cell as written, or '' when the record has no such column. */
  raw(column: string): string {
    return this.record[column] ?? '';
  }

  /** Free text kept exactly as written (narratives, descriptions); may be empty. */
  text(column: string): string {
    const value = this.raw(column);
    // PostgreSQL text cannot hold NUL; refusing it here keeps the database from refusing the file.
    if (value.includes('\u0000')) this.fail(column, 'must not contain NUL characters');
    return value;
  }

  /** Free text that must not be blank (names). */
  requiredText(column: string, max?: number): string {
    const value = this.text(column);
    if (value.trim() === '') this.fail(column, 'is required');
    else if (max !== undefined && value.length > max)
      this.fail(column, `must be at most ${max} characters`);
    return value;
  }

  /** Free text where blank means "none". */
  optionalText(column: string, max?: number): string | null {
    const value = this.text(column);
    if (value.trim() === '') return null;
    if (max !== undefined && value.length > max)
      this.fail(column, `must be at most ${max} characters`);
    return value;
  }

  /** A matter, client or timekeeper code. */
  code(column: string): string {
    return this.optionalCode(column, true) ?? '';
  }

  /** A code that may be blank. */
  optionalCode(column: string, required = false): string | null {
    const value = this.raw(column).trim();
    if (value === '') {
      if (required) this.fail(column, 'is required');
      return null;
    }
    if (!CODE_PATTERN.test(value)) this.fail(column, `"${value}" ${CODE_RULE}`);
    return value;
  }

  /** A time entry or expense id from the firm's time system. */
  externalId(column: string): string {
    const value = this.raw(column).trim();
    if (value === '') this.fail(column, 'is required');
    else if (!EXTERNAL_ID_PATTERN.test(value)) this.fail(column, `"${value}" ${EXTERNAL_ID_RULE}`);
    return value;
  }

  /** A UTBMS task, activity or expense code, or null when blank. */
  optionalUtbmsCode(column: string): string | null {
    const value = this.raw(column).trim();
    if (value === '') return null;
    if (!UTBMS_CODE_PATTERN.test(value)) this.fail(column, `"${value}" ${UTBMS_CODE_RULE}`);
    return value;
  }

  /** An ISO currency code such as USD. */
  currency(column: string): string {
    const value = this.raw(column).trim();
    if (value === '') this.fail(column, 'is required');
    else if (!isCurrencyCode(value))
      this.fail(column, `"${value}" is not a currency code (three capital letters, e.g. USD)`);
    return value;
  }

  /** An e-mail address, or null when blank. */
  optionalEmail(column: string, required = false): string | null {
    const value = this.raw(column).trim();
    if (value === '') {
      if (required) this.fail(column, 'is required');
      return null;
    }
    if (!EMAIL_PATTERN.test(value)) this.fail(column, `"${value}" is not an e-mail address`);
    return value;
  }

  /** A calendar date `YYYY-MM-DD`. */
  date(column: string): string {
    return this.optionalDate(column, true) ?? '';
  }

  /** A calendar date, or null when blank. */
  optionalDate(column: string, required = false): string | null {
    const value = this.raw(column).trim();
    if (value === '') {
      if (required) this.fail(column, 'is required');
      return null;
    }
    if (!isIsoDate(value)) {
      this.fail(column, `"${value}" is not a calendar date in the form YYYY-MM-DD`);
      return null;
    }
    return value;
  }

  /**
   * A decimal with at most two decimals as an integer in hundredths (money in cents, hours,
   * quantities), checked against inclusive/exclusive bounds given in hundredths.
   */
  hundredths(column: string, bounds: Bounds, what = 'an amount'): number {
    return this.optionalHundredths(column, bounds, what, true) ?? 0;
  }

  /** Like `hundredths`, but blank means null. */
  optionalHundredths(
    column: string,
    bounds: Bounds,
    what = 'an amount',
    required = false,
  ): number | null {
    const value = this.raw(column).trim();
    if (value === '') {
      if (required) this.fail(column, 'is required');
      return null;
    }
    const parsed = parseScaled(value, 2);
    if (parsed === null) {
      this.fail(column, `"${value}" is not ${what} (digits with "." and at most 2 decimals)`);
      return null;
    }
    const problem = outOfBounds(parsed, bounds);
    if (problem) {
      this.fail(column, `${value} ${problem}`);
      return null;
    }
    return parsed;
  }

  /** yes/no/true/false in any case; blank takes `fallback` when one is given. */
  bool(column: string, fallback?: boolean): boolean {
    const value = this.raw(column).trim().toLowerCase();
    if (value === '' && fallback !== undefined) return fallback;
    if (TRUE_WORDS.has(value)) return true;
    if (FALSE_WORDS.has(value)) return false;
    this.fail(column, value === '' ? 'is required (yes or no)' : `"${value}" is not yes or no`);
    return false;
  }

  /** One of a fixed list of words; blank takes `fallback` when one is given. */
  choice<T extends string>(column: string, allowed: readonly T[], fallback?: T): T {
    const value = this.raw(column).trim();
    if (value === '' && fallback !== undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.fail(
      column,
      value === ''
        ? `is required (one of ${allowed.join(', ')})`
        : `"${value}" is not one of ${allowed.join(', ')}`,
    );
    return allowed[0]!;
  }
}

/** Limits in hundredths: `min`/`max` inclusive, `above` exclusive. */
export interface Bounds {
  min?: number;
  above?: number;
  max?: number;
}

function outOfBounds(value: number, bounds: Bounds): string | null {
  if (bounds.above !== undefined && value <= bounds.above)
    return `must be greater than ${bounds.above / 100}`;
  if (bounds.min !== undefined && value < bounds.min)
    return bounds.min === 0 ? 'must not be negative' : `must be at least ${bounds.min / 100}`;
  if (bounds.max !== undefined && value > bounds.max) return `must be at most ${bounds.max / 100}`;
  return null;
}

/** Writes an optional value as a CSV cell (blank for null). */
export function cell(value: string | null | undefined): string {
  return value ?? '';
}

/** Writes a boolean as a CSV cell. */
export function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
