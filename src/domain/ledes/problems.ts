/** Problems the LEDES parser and validator report, each located by file line and field. */

export type LedesSeverity = 'error' | 'warning';

/** Stable problem codes; the CLI, the API and the UI key on them. */
export type LedesProblemCode =
  // Structure
  | 'UNKNOWN_FORMAT'
  | 'MISSING_HEADER'
  | 'HEADER_MISMATCH'
  | 'FIELD_COUNT'
  | 'MISSING_TERMINATOR'
  | 'LINE_BREAK_IN_VALUE'
  | 'NO_LINES'
  // Formats and required values
  | 'INVALID_DATE'
  | 'INVALID_NUMBER'
  | 'INVALID_LINE_TYPE'
  | 'INVALID_CURRENCY'
  | 'MISSING_FIELD'
  | 'NEGATIVE_UNITS'
  | 'NON_ASCII'
  // Arithmetic
  | 'LINE_TOTAL_MISMATCH'
  | 'INVOICE_TOTAL_MISMATCH'
  | 'LINE_TAX_MISMATCH'
  | 'INVOICE_TAX_TOTAL_MISMATCH'
  | 'INVOICE_NET_TOTAL_MISMATCH'
  // Consistency within a file
  | 'DUPLICATE_LINE_ITEM_NUMBER'
  | 'INVOICE_NUMBER_REUSED'
  | 'MULTI_MATTER_INVOICE'
  | 'MIXED_CURRENCIES'
  | 'DUPLICATE_LINE'
  | 'BILLING_PERIOD_INVERTED'
  | 'BILLING_PERIOD_SPANS_MONTHS'
  | 'LINE_DATE_OUTSIDE_PERIOD'
  // UTBMS codes
  | 'UNKNOWN_TASK_CODE'
  | 'UNKNOWN_ACTIVITY_CODE'
  | 'UNKNOWN_EXPENSE_CODE';

/** One problem: where (1-based file line, field name or null for the whole record), how bad, what. */
export interface LedesProblem {
  line: number;
  field: string | null;
  severity: LedesSeverity;
  code: LedesProblemCode;
  message: string;
}

/** Collects problems in the order they are found. */
export class ProblemList {
  readonly items: LedesProblem[] = [];

  error(line: number, field: string | null, code: LedesProblemCode, message: string): void {
    this.items.push({ line, field, severity: 'error', code, message });
  }

  warning(line: number, field: string | null, code: LedesProblemCode, message: string): void {
    this.items.push({ line, field, severity: 'warning', code, message });
  }
}
