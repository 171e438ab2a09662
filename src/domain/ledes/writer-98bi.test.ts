import { describe, expect, it } from 'vitest';
import {
  buildExpenseLine,
  buildFeeLine,
  buildInternational,
  buildInvoice,
} from './fixtures/build-invoice.js';
import { recordsOf } from './fixtures/ledes-text.js';
import { LEDES_98BI_FIELDS } from './ledes1998b.js';
import { validateLedes } from './validator.js';
import { writeLedes98BI } from './writer.js';

describe('writing LEDES98BI V2', () => {
  const invoice = buildInvoice({
    currency: 'GBP',
    international: buildInternational(),
    lines: [
      buildFeeLine({
        units: 200,
        unitCost: 35000,
        adjustment: -7000,
        taxRate: '0.20',
        taxType: 'VAT',
      }),
      buildFeeLine({
        units: 20,
        unitCost: 20000,
        taxRate: '0.061245',
        taxType: 'VAT',
        description: 'Call',
      }),
      buildExpenseLine({ taxRate: null }),
    ],
  });

  it('adds per-line tax to line totals and writes tax and net totals and the currency on every line', () => {
    const { text } = writeLedes98BI([invoice]);
    expect(text.startsWith(`LEDES98BI V2[]\r\n${LEDES_98BI_FIELDS.join('|')}[]\r\n`)).toBe(true);
    const records = recordsOf(text);
    // 630 × 0.20 = 126.00; 40 × 0.061245 = 2.4498 → 2.45 (half-up, exact).
    expect(
      records.map((r) => [r.LINE_ITEM_TAX_RATE, r.LINE_ITEM_TAX_TOTAL, r.LINE_ITEM_TOTAL]),
    ).toEqual([
      ['0.2', '126.00', '756.00'],
      ['0.061245', '2.45', '42.45'],
      ['', '0.00', '24.95'],
    ]);
    for (const r of records)
      expect(r).toMatchObject({
        INVOICE_TOTAL: '823.40',
        INVOICE_TAX_TOTAL: '128.45',
        INVOICE_NET_TOTAL: '694.95',
        INVOICE_CURRENCY: 'GBP',
        INVOICE_REPORTED_TAX_TOTAL: '128.45',
        INVOICE_TAX_CURRENCY: 'GBP',
        LAW_FIRM_COUNTRY: 'GBR',
        CLIENT_POSTCODE: '10036',
      });
    expect(records[0]).toMatchObject({
      TIMEKEEPER_LAST_NAME: 'Avery',
      TIMEKEEPER_FIRST_NAME: 'Ann',
      TIMEKEEPER_NAME: 'Avery, Ann',
    });
    expect(validateLedes(text)).toMatchObject({ valid: true, problems: [] });
  });

  it('rounds tax exactly at the half cent', () => {
    // 0.25 × 0.02 = 0.005 → 0.01, which binary floating point would round down.
    const { text } = writeLedes98BI([
      buildInvoice({
        international: buildInternational(),
        lines: [buildExpenseLine({ units: 100, unitCost: 25, taxRate: '0.02' })],
      }),
    ]);
    expect(recordsOf(text)[0]).toMatchObject({
      LINE_ITEM_TAX_TOTAL: '0.01',
      LINE_ITEM_TOTAL: '0.26',
    });
  });

  it('refuses a malformed tax rate and a missing currency', () => {
    expect(() =>
      writeLedes98BI([
        buildInvoice({ currency: '', lines: [buildFeeLine({ taxRate: '0.1234567' })] }),
      ]),
    ).toThrow(/cannot be written/);
  });
});
