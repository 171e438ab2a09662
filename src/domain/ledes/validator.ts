/**
 * Pre-submission validation of a LEDES 1998B or 98BI V2 file: structure, formats, required values,
 * arithmetic, consistency within the file and UTBMS codes (the format checks portals apply before
 * any billing guideline; see docs/ledes.md for the list).
 */
import { checkLine, type LineContext } from './check-line.js';
import { checkSameInvoice, checkTotals, startInvoice } from './check-invoice.js';
import { FieldReader } from './field-reader.js';
import type { InvoiceState } from './invoice-state.js';
import { F, fieldsOf, type LedesFormat } from './ledes1998b.js';
import { scanLedes, type LedesRecord, type ParsedLedes } from './parser.js';
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

// LEDES files are ASCII; portals reject or garble anything else (a curly quote pasted from a
// word processor, an accented name), so each value holding such a character gets a warning.
const NON_ASCII = /[\u0080-\uffff]/;

/** Validates the text of a LEDES file and reports every problem, never just the first. */
export function validateLedes(text: string): LedesReport {
  // Records are checked as they are read and then dropped, so memory stays flat on large files.
  // One scan of the whole text spares the per-value check on the usual all-ASCII file.
  const validation = new Validation(NON_ASCII.test(text));
  const info = scanLedes(text, (record, format) => validation.visit(record, format));
  return validation.report(info);
}

/** Validates an already parsed file (the parser's structural problems are included). */
export function validateParsed(parsed: ParsedLedes): LedesReport {
  const validation = new Validation(true);
  const format = parsed.format;
  if (format !== null) for (const record of parsed.records) validation.visit(record, format);
  return validation.report(parsed);
}

class Validation {
  private readonly problems = new ProblemList();
  private readonly invoices = new Map<string, InvoiceState>();
  private context: LineContext | null = null;

  /** `checkAscii` false when the text is known to be all ASCII. */
  constructor(private readonly checkAscii: boolean) {}

  visit(record: LedesRecord, format: LedesFormat): void {
    const context = (this.context ??= this.start(format));
    const { reader, problems, international } = context;
    reader.at(record.values, record.line);
    const number = record.values[F.INVOICE_NUMBER] ?? '';
    let state = this.invoices.get(number);
    if (state === undefined) {
      if (number === '') reader.required(F.INVOICE_NUMBER, 'on every line');
      state = startInvoice(reader, problems, international);
      this.invoices.set(number, state);
    } else {
      checkSameInvoice(reader, problems, state);
    }
    checkLine(context, state);
    if (this.checkAscii) this.reportNonAscii(record, reader);
  }

  private reportNonAscii(record: LedesRecord, reader: FieldReader): void {
    record.values.forEach((value, index) => {
      const found = NON_ASCII.exec(value)?.[0];
      if (found === undefined) return;
      const hex = found.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      const name = reader.name(index);
      this.problems.warning(
        record.line,
        name,
        'NON_ASCII',
        `${name} holds "${found}" (U+${hex}); LEDES files are ASCII and portals may reject or garble it`,
      );
    });
  }

  report(info: Omit<ParsedLedes, 'records'>): LedesReport {
    const international = info.format === 'LEDES98BI V2';
    for (const state of this.invoices.values()) checkTotals(state, this.problems, international);
    // Stable sort: problems of one line stay in the order they were found.
    const sorted = [...info.problems, ...this.problems.items].sort((a, b) => a.line - b.line);
    let errors = 0;
    for (const problem of sorted) if (problem.severity === 'error') errors++;
    return {
      format: info.format,
      valid: errors === 0,
      problems: sorted,
      summary: {
        invoices: this.invoices.size,
        lines: info.recordCount,
        errors,
        warnings: sorted.length - errors,
      },
    };
  }

  private start(format: LedesFormat): LineContext {
    const reader = new FieldReader(this.problems, fieldsOf(format));
    const international = format === 'LEDES98BI V2';
    return { reader, problems: this.problems, international, charges: new Map() };
  }
}
