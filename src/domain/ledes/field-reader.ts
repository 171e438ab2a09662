/**
 * Reads typed values out of one record, reporting a missing or malformed value where it is.
 * One instance is reused for every record so validation allocates little per line.
 */
import { isLedesDate, readDecimal } from './numbers.js';
import type { LedesSeverity, ProblemList } from './problems.js';

export class FieldReader {
  values: readonly string[] = [];
  line = 0;

  constructor(
    private readonly problems: ProblemList,
    private readonly fields: readonly string[],
  ) {}

  /** Points the reader at the next record. */
  at(values: readonly string[], line: number): void {
    this.values = values;
    this.line = line;
  }

  name(index: number): string {
    return this.fields[index] ?? `field ${index + 1}`;
  }

  text(index: number): string {
    return this.values[index] ?? '';
  }

  /** The value, or null when empty (reported as MISSING_FIELD with the given severity). */
  required(index: number, why: string, severity: LedesSeverity = 'error'): string | null {
    const value = this.text(index);
    if (value !== '') return value;
    const message = `${this.name(index)} is required ${why}`;
    if (severity === 'error')
      this.problems.error(this.line, this.name(index), 'MISSING_FIELD', message);
    else this.problems.warning(this.line, this.name(index), 'MISSING_FIELD', message);
    return null;
  }

  /**
   * A number scaled by 10^4: the value when well formed, undefined when empty (reported when
   * `required` says why it is needed), null when malformed (reported).
   */
  number(index: number, required: string | null): number | null | undefined {
    const value = this.text(index);
    if (value === '') {
      if (required !== null) this.required(index, required);
      return undefined;
    }
    const scaled = readDecimal(value);
    if (scaled === null)
      this.problems.error(
        this.line,
        this.name(index),
        'INVALID_NUMBER',
        `${this.name(index)} "${value}" is not a plain decimal number (digits, optional "-" and ".", at most 4 decimals)`,
      );
    return scaled;
  }

  /** A valid YYYYMMDD date, or null when empty (reported when `required` says why) or not a real date (reported). */
  date(index: number, required: string | null): string | null {
    const value = this.text(index);
    if (value === '') {
      if (required !== null) this.required(index, required);
      return null;
    }
    if (isLedesDate(value)) return value;
    this.problems.error(
      this.line,
      this.name(index),
      'INVALID_DATE',
      `${this.name(index)} "${value}" is not a real calendar date written YYYYMMDD`,
    );
    return null;
  }
}
