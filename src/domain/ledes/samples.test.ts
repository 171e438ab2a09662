// Tests read the sample files from disk; only non-test domain code must stay free of I/O.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLedes } from './parser.js';
import { validateLedes } from './validator.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** The problems as [line, severity, code, field], the shape each sample's quirks are listed in. */
function problemsOf(name: string) {
  return validateLedes(fixture(name)).problems.map((p) => [p.line, p.severity, p.code, p.field]);
}

describe('the public LEDES sample files', () => {
  it('reports invoice 96543 of the 1998B sample reused for a second client', () => {
    // Line 9 repeats invoice 96543 and line number 6 for client 500, so 1250 + 1250 = 2500 ≠ 1250.
    expect(problemsOf('ledes_98B_sample.txt')).toEqual([
      [8, 'error', 'INVOICE_TOTAL_MISMATCH', 'INVOICE_TOTAL'],
      [9, 'error', 'INVOICE_NUMBER_REUSED', 'CLIENT_ID'],
      [9, 'error', 'DUPLICATE_LINE_ITEM_NUMBER', 'LINE_ITEM_NUMBER'],
    ]);
    const report = validateLedes(fixture('ledes_98B_sample.txt'));
    expect(report.summary).toEqual({ invoices: 2, lines: 7, errors: 3, warnings: 0 });
    expect(report.problems[0]?.message).toContain('1250.00');
    expect(report.problems[0]?.message).toContain('2500.00');
  });

  it('reports the notebook variant reusing line number 5, so 96542 adds up to 1973.95', () => {
    // Its only 96543 line bills client 00711, so that invoice is clean in this file.
    expect(problemsOf('ledes_98B_sample_notebook_variant.txt')).toEqual([
      [3, 'error', 'INVOICE_TOTAL_MISMATCH', 'INVOICE_TOTAL'],
      [8, 'error', 'DUPLICATE_LINE_ITEM_NUMBER', 'LINE_ITEM_NUMBER'],
    ]);
    const [total] = validateLedes(fixture('ledes_98B_sample_notebook_variant.txt')).problems;
    expect(total?.message).toMatch(/1684\.45.*1973\.95/);
  });

  it('accepts the pre-2014 file with a warning for its two matters, its total taken from the first line', () => {
    // The retainer line repeats 1250 as INVOICE_TOTAL; only the first occurrence (2934.45) counts.
    expect(problemsOf('ledes_98B_sample_pre2014_PT_AS.txt')).toEqual([
      [8, 'warning', 'MULTI_MATTER_INVOICE', 'LAW_FIRM_MATTER_ID'],
    ]);
    const report = validateLedes(fixture('ledes_98B_sample_pre2014_PT_AS.txt'));
    expect(report.valid).toBe(true);
    expect(report.summary).toEqual({ invoices: 1, lines: 6, errors: 0, warnings: 1 });
  });

  it("reports the 98BI sample's tax fields that contradict its lines", () => {
    expect(problemsOf('ledes_98BI_v2_sample.txt')).toEqual([
      [3, 'error', 'LINE_TAX_MISMATCH', 'LINE_ITEM_TAX_TOTAL'],
      [3, 'error', 'INVOICE_TAX_TOTAL_MISMATCH', 'INVOICE_TAX_TOTAL'],
      [3, 'error', 'INVOICE_NET_TOTAL_MISMATCH', 'INVOICE_NET_TOTAL'],
      [4, 'error', 'LINE_TAX_MISMATCH', 'LINE_ITEM_TAX_TOTAL'],
      [5, 'error', 'LINE_TAX_MISMATCH', 'LINE_ITEM_TAX_TOTAL'],
      [8, 'error', 'LINE_TAX_MISMATCH', 'LINE_ITEM_TAX_TOTAL'],
    ]);
    const messages = validateLedes(fixture('ledes_98BI_v2_sample.txt')).problems.map(
      (p) => p.message,
    );
    expect(messages[1]).toMatch(/182\.52.*185\.52/);
    expect(messages[2]).toMatch(/1781\.16.*1684\.45/);
  });

  it('parses each sample into records that keep their file lines', () => {
    const lf = parseLedes(fixture('ledes_98B_sample.txt'));
    expect(lf.format).toBe('LEDES1998B');
    expect(lf.records.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(lf.records[0]?.values).toHaveLength(24);
    expect(lf.records[0]?.values[21]).toBe('Arnsley, Robert');
    const crlf = parseLedes(fixture('ledes_98B_sample_pre2014_PT_AS.txt'));
    expect(crlf.problems).toEqual([]);
    expect(crlf.records.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(crlf.records[5]?.values[23]).toBe('425-936');
    const intl = parseLedes(fixture('ledes_98BI_v2_sample.txt'));
    expect(intl.format).toBe('LEDES98BI V2');
    expect(intl.records[0]?.values).toHaveLength(52);
    expect(intl.records[0]?.values[51]).toBe('GBP');
  });
});
