/**
 * Pre-submission validation of a LEDES 1998B or 98BI V2 file: structure, formats, required values,
 * arithmetic, consistency within the file and UTBMS codes (the format checks portals apply before
 * any billing guideline; see docs/ledes.md for the list).
 */
import { checkLine, type LineContext } from './check-line.js';
import { checkSameInvoice, checkTotals, startInvoice } from './check-invoice.js';
import { FieldReader } from './field-reader.js';
import type { InvoiceState } from './invoice-state.js';
import { F, type LedesFormat } from './ledes1998b.js';
import { parseLedes, type ParsedLedes } from './parser.js';
import { ProblemList, type LedesProblem } from './problems.js';

/** Counts for a report header. */
export interface LedesSummary {
  invoices: number;
  lines: number;
  errors: number;
  warnings: number;
}

/** Every problem found in a file, ordered by line, with a summary. */
export interface LedesReport {
  format: LedesFormat | null;
  /** True when there is no error (warnings allowed). */
  valid: boolean;
  problems: LedesProblem[];
  summary: LedesSummary;
}

/** Validates the text of a LEDES file and reports every problem, never just the first. */
export function validateLedes(text: string): LedesReport {
  return validateParsed(parseLedes(text));
}

/** Validates an already parsed file (the parser's structural problems are included). */
export function validateParsed(parsed: ParsedLedes): LedesReport {
  const problems = new ProblemList();
  problems.items.push(...parsed.problems);
  const international = parsed.format === 'LEDES98BI V2';
  const reader = new FieldReader(problems, parsed.fields);
  const context: LineContext = { reader, problems, international, charges: new Map() };
  const invoices = new Map<string, InvoiceState>();
  for (const record of parsed.records) {
    reader.at(record.values, record.line);
    const number = record.values[F.INVOICE_NUMBER] ?? '';
    let state = invoices.get(number);
    if (state === undefined) {
      if (number === '') reader.required(F.INVOICE_NUMBER, 'on every line');
      state = startInvoice(reader, problems, international);
      invoices.set(number, state);
    } else {
      checkSameInvoice(reader, problems, state);
    }
    checkLine(context, state);
  }
  for (const state of invoices.values()) checkTotals(state, problems, international);
  // Stable sort: problems of one line stay in the order they were found.
  const sorted = problems.items.sort((a, b) => a.line - b.line);
  let errors = 0;
  for (const problem of sorted) if (problem.severity === 'error') errors++;
  return {
    format: parsed.format,
    valid: errors === 0,
    problems: sorted,
    summary: {
      invoices: invoices.size,
      lines: parsed.recordCount,
      errors,
      warnings: sorted.length - errors,
    },
  };
}
