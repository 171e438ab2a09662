import { describe, expect, it } from 'vitest';
import { buildFeeLine, buildInvoice } from './fixtures/build-invoice.js';
import { edited, problemsOf } from './fixtures/ledes-text.js';
import { validateLedes } from './validator.js';
import { writeLedes1998B } from './writer.js';

describe('validating LEDES values', () => {
  it('accepts what the writer produces', () => {
    const report = validateLedes(edited([]));
    expect(report).toMatchObject({
      valid: true,
      problems: [],
      summary: { invoices: 1, lines: 2, errors: 0, warnings: 0 },
    });
  });

  it('refuses dates that are not real calendar dates', () => {
    expect(
      problemsOf(
        edited([
          [0, 'INVOICE_DATE', '20260230'],
          [1, 'LINE_ITEM_DATE', '2026-03-12'],
        ]),
      ),
    ).toEqual([
      [3, 'error', 'INVALID_DATE', 'INVOICE_DATE'],
      [4, 'error', 'INVALID_DATE', 'LINE_ITEM_DATE'],
    ]);
  });

  it('refuses numbers with separators or symbols and accepts the spec’s four decimals', () => {
    expect(
      problemsOf(
        edited([
          [0, 'LINE_ITEM_UNIT_COST', '$400'],
          [1, 'LINE_ITEM_NUMBER_OF_UNITS', '1,0'],
        ]),
      ),
    ).toEqual([
      [3, 'error', 'INVALID_NUMBER', 'LINE_ITEM_UNIT_COST'],
      [4, 'error', 'INVALID_NUMBER', 'LINE_ITEM_NUMBER_OF_UNITS'],
    ]);
    expect(
      problemsOf(
        edited([
          [0, 'LINE_ITEM_TOTAL', '600.0000'],
          [0, 'LINE_ITEM_NUMBER_OF_UNITS', '1.500'],
        ]),
      ),
    ).toEqual([]);
  });

  it('requires timekeeper details on fee lines and units and cost on fee and expense lines', () => {
    expect(
      problemsOf(
        edited([
          [0, 'TIMEKEEPER_ID', ''],
          [0, 'TIMEKEEPER_NAME', ''],
          [0, 'TIMEKEEPER_CLASSIFICATION', ''],
          [1, 'LINE_ITEM_UNIT_COST', ''],
        ]),
      ),
    ).toEqual([
      [3, 'error', 'MISSING_FIELD', 'TIMEKEEPER_ID'],
      [3, 'error', 'MISSING_FIELD', 'TIMEKEEPER_NAME'],
      [3, 'error', 'MISSING_FIELD', 'TIMEKEEPER_CLASSIFICATION'],
      [4, 'error', 'MISSING_FIELD', 'LINE_ITEM_UNIT_COST'],
      [4, 'error', 'LINE_TOTAL_MISMATCH', 'LINE_ITEM_TOTAL'],
    ]);
  });

  it('requires invoice-level values and warns about a blank CLIENT_MATTER_ID', () => {
    expect(
      problemsOf(
        edited([
          [0, 'CLIENT_ID', ''],
          [0, 'LAW_FIRM_ID', ''],
          [0, 'CLIENT_MATTER_ID', ''],
        ]),
      ),
    ).toEqual([
      [3, 'error', 'MISSING_FIELD', 'CLIENT_ID'],
      [3, 'error', 'MISSING_FIELD', 'LAW_FIRM_ID'],
      [3, 'warning', 'MISSING_FIELD', 'CLIENT_MATTER_ID'],
      [4, 'error', 'INVOICE_NUMBER_REUSED', 'CLIENT_ID'],
    ]);
  });

  it('refuses an unknown line type and negative units', () => {
    // An unknown type leaves the invoice sum unknown, so no total check follows it.
    const text = edited([
      [0, 'EXP/FEE/INV_ADJ_TYPE', 'X'],
      [1, 'LINE_ITEM_NUMBER_OF_UNITS', '-1'],
      [1, 'LINE_ITEM_TOTAL', '-24.95'],
    ]);
    expect(problemsOf(text)).toEqual([
      [3, 'error', 'INVALID_LINE_TYPE', 'EXP/FEE/INV_ADJ_TYPE'],
      [4, 'error', 'NEGATIVE_UNITS', 'LINE_ITEM_NUMBER_OF_UNITS'],
    ]);
  });
});

describe('validating consistency within a file', () => {
  it('refuses a line number used twice in one invoice', () => {
    expect(problemsOf(edited([[1, 'LINE_ITEM_NUMBER', '1']]))).toEqual([
      [4, 'error', 'DUPLICATE_LINE_ITEM_NUMBER', 'LINE_ITEM_NUMBER'],
    ]);
  });

  it('refuses an invoice number reused for another client and warns about a second matter', () => {
    expect(
      problemsOf(
        edited([
          [1, 'CLIENT_ID', 'OTHER'],
          [1, 'LAW_FIRM_MATTER_ID', 'M-9'],
        ]),
      ),
    ).toEqual([[4, 'error', 'INVOICE_NUMBER_REUSED', 'CLIENT_ID']]);
    expect(problemsOf(edited([[1, 'LAW_FIRM_MATTER_ID', 'M-9']]))).toEqual([
      [4, 'warning', 'MULTI_MATTER_INVOICE', 'LAW_FIRM_MATTER_ID'],
    ]);
  });

  it('keeps several invoices in one file apart', () => {
    const second = buildInvoice({
      invoiceNumber: 'INV-1002',
      lines: [buildFeeLine({ units: 10 })],
    });
    expect(validateLedes(writeLedes1998B([buildInvoice(), second]).text).summary).toEqual({
      invoices: 2,
      lines: 3,
      errors: 0,
      warnings: 0,
    });
  });

  it('refuses line dates outside the billing period and warns about periods over a month', () => {
    expect(problemsOf(edited([[1, 'LINE_ITEM_DATE', '20260401']]))).toEqual([
      [4, 'error', 'LINE_DATE_OUTSIDE_PERIOD', 'LINE_ITEM_DATE'],
    ]);
    expect(problemsOf(edited([[0, 'BILLING_END_DATE', '20260430']]))).toEqual([
      [3, 'warning', 'BILLING_PERIOD_SPANS_MONTHS', 'BILLING_END_DATE'],
    ]);
    expect(problemsOf(edited([[0, 'BILLING_END_DATE', '20260228']]))).toEqual([
      [3, 'error', 'BILLING_PERIOD_INVERTED', 'BILLING_END_DATE'],
    ]);
  });

  it('refuses unknown UTBMS codes but not phase codes', () => {
    expect(
      problemsOf(
        edited([
          [0, 'LINE_ITEM_TASK_CODE', 'L999'],
          [0, 'LINE_ITEM_ACTIVITY_CODE', 'A112'],
          [1, 'LINE_ITEM_EXPENSE_CODE', 'E125'],
        ]),
      ),
    ).toEqual([
      [3, 'error', 'UNKNOWN_TASK_CODE', 'LINE_ITEM_TASK_CODE'],
      [3, 'error', 'UNKNOWN_ACTIVITY_CODE', 'LINE_ITEM_ACTIVITY_CODE'],
      [4, 'error', 'UNKNOWN_EXPENSE_CODE', 'LINE_ITEM_EXPENSE_CODE'],
    ]);
    expect(
      problemsOf(
        edited([
          [0, 'LINE_ITEM_TASK_CODE', 'L100'],
          [0, 'LINE_ITEM_TASK_CODE', 'B110'],
        ]),
      ),
    ).toEqual([]);
  });

  it('warns about a fee or expense charged twice, not about repeated invoice-level adjustments', () => {
    const fee = buildFeeLine();
    const credit = buildFeeLine({
      type: 'IF',
      adjustment: -1000,
      units: 0,
      timekeeper: null,
      taskCode: null,
      activityCode: null,
      description: 'Credit',
    });
    const text = writeLedes1998B([buildInvoice({ lines: [fee, fee, credit, credit] })]).text;
    expect(problemsOf(text)).toEqual([[4, 'warning', 'DUPLICATE_LINE', null]]);
  });

  it('warns about each value holding a character outside ASCII, naming the character', () => {
    const text = edited([
      [0, 'LINE_ITEM_DESCRIPTION', 'Review the client’s letter'],
      [0, 'TIMEKEEPER_NAME', 'Avéry, Ann'],
    ]);
    expect(problemsOf(text)).toEqual([
      [3, 'warning', 'NON_ASCII', 'LINE_ITEM_DESCRIPTION'],
      [3, 'warning', 'NON_ASCII', 'TIMEKEEPER_NAME'],
    ]);
    expect(validateLedes(text).problems[0]?.message).toContain('"’" (U+2019)');
    // A byte-order mark is not part of any value.
    expect(validateLedes(`\uFEFF${edited([])}`).problems).toEqual([]);
  });
});
