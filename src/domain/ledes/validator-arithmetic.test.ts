import { describe, expect, it } from 'vitest';
import {
  buildExpenseLine,
  buildFeeLine,
  buildInternational,
  buildInvoice,
} from './fixtures/build-invoice.js';
import { edited, problemsOf, type Edit } from './fixtures/ledes-text.js';

describe('validating LEDES arithmetic', () => {
  it('checks each line total to the cent and the invoice total against the sum of lines', () => {
    expect(problemsOf(edited([[0, 'LINE_ITEM_TOTAL', '600.01']]))).toEqual([
      [3, 'error', 'LINE_TOTAL_MISMATCH', 'LINE_ITEM_TOTAL'],
      [3, 'error', 'INVOICE_TOTAL_MISMATCH', 'INVOICE_TOTAL'],
    ]);
  });

  it('takes invoice-level values from the first line of each invoice only', () => {
    expect(
      problemsOf(
        edited([
          [1, 'INVOICE_TOTAL', '1'],
          [1, 'INVOICE_DATE', '20260501'],
          [1, 'BILLING_END_DATE', '20260311'],
        ]),
      ),
    ).toEqual([]);
  });

  it('accepts both IF conventions: amount in the adjustment, or units × unit cost', () => {
    const retainer = buildFeeLine({
      type: 'IF',
      units: 100,
      unitCost: 125000,
      timekeeper: null,
      taskCode: null,
      activityCode: null,
      description: 'Retainer',
    });
    const base = [buildInvoice({ lines: [retainer] })];
    const total = [0, 'INVOICE_TOTAL', '1250.00'] as Edit;
    expect(
      problemsOf(
        edited(
          [[0, 'LINE_ITEM_UNIT_COST', ''], [0, 'LINE_ITEM_NUMBER_OF_UNITS', '5'], total],
          base,
        ),
      ),
    ).toEqual([]);
    expect(
      problemsOf(
        edited(
          [[0, 'LINE_ITEM_UNIT_COST', '1250'], [0, 'LINE_ITEM_ADJUSTMENT_AMOUNT', '0'], total],
          base,
        ),
      ),
    ).toEqual([]);
  });

  it('checks 98BI line tax, invoice tax and net totals', () => {
    const invoice = buildInvoice({
      currency: 'EUR',
      international: buildInternational(),
      lines: [buildFeeLine({ taxRate: '0.21' }), buildExpenseLine({ taxRate: '0.21' })],
    });
    expect(problemsOf(edited([], [invoice], true))).toEqual([]);
    expect(problemsOf(edited([[1, 'LINE_ITEM_TAX_RATE', '0.2']], [invoice], true))).toEqual([
      [4, 'error', 'LINE_TAX_MISMATCH', 'LINE_ITEM_TAX_TOTAL'],
    ]);
    expect(
      problemsOf(
        edited(
          [
            [0, 'INVOICE_TAX_TOTAL', '131.25'],
            [0, 'INVOICE_NET_TOTAL', '624.00'],
          ],
          [invoice],
          true,
        ),
      ),
    ).toEqual([
      [3, 'error', 'INVOICE_TAX_TOTAL_MISMATCH', 'INVOICE_TAX_TOTAL'],
      [3, 'error', 'INVOICE_NET_TOTAL_MISMATCH', 'INVOICE_NET_TOTAL'],
    ]);
  });

  it('keeps checking line tax after a line whose amounts cannot be read', () => {
    const invoice = buildInvoice({
      international: buildInternational(),
      lines: [buildFeeLine({ taxRate: '0.2' }), buildExpenseLine({ taxRate: '0.2' })],
    });
    const text = edited(
      [
        [0, 'LINE_ITEM_TAX_TOTAL', 'abc'],
        [1, 'LINE_ITEM_TAX_TOTAL', '5.00'],
        [1, 'LINE_ITEM_TOTAL', '29.95'],
      ],
      [invoice],
      true,
    );
    expect(problemsOf(text)).toEqual([
      [3, 'error', 'INVALID_NUMBER', 'LINE_ITEM_TAX_TOTAL'],
      [4, 'error', 'LINE_TAX_MISMATCH', 'LINE_ITEM_TAX_TOTAL'],
    ]);
  });

  it('refuses mixed currencies in one 98BI invoice', () => {
    const invoice = buildInvoice({ international: buildInternational() });
    expect(problemsOf(edited([[1, 'INVOICE_CURRENCY', 'EUR']], [invoice], true))).toEqual([
      [4, 'error', 'MIXED_CURRENCIES', 'INVOICE_CURRENCY'],
    ]);
    expect(problemsOf(edited([[0, 'INVOICE_CURRENCY', 'usd']], [invoice], true))).toEqual([
      [3, 'error', 'INVALID_CURRENCY', 'INVOICE_CURRENCY'],
      [4, 'error', 'MIXED_CURRENCIES', 'INVOICE_CURRENCY'],
    ]);
  });
});
