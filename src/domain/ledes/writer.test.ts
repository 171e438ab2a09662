import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { buildExpenseLine, buildFeeLine, buildInvoice } from './fixtures/build-invoice.js';
import { recordsOf } from './fixtures/ledes-text.js';
import type { LedesInvoice, LedesLine } from './ledes-invoice.js';
import { LEDES_1998B_FIELDS } from './ledes1998b.js';
import { validateLedes } from './validator.js';
import { writeLedes1998B } from './writer.js';

function written(lines: LedesLine[], invoice: Partial<LedesInvoice> = {}) {
  const { text } = writeLedes1998B([buildInvoice({ lines, ...invoice })]);
  expect(validateLedes(text).problems.filter((p) => p.severity === 'error')).toEqual([]);
  return recordsOf(text);
}

describe('writing LEDES 1998B', () => {
  it('writes the tag, the header and CRLF-terminated records exactly', () => {
    const { text, cleaned } = writeLedes1998B([buildInvoice()]);
    const header = `${LEDES_1998B_FIELDS.join('|')}[]`;
    expect(text).toBe(
      [
        'LEDES1998B[]',
        header,
        '20260402|INV-1001|ACME|M-2026-001|624.95|20260301|20260331|For services rendered|1|F|1.5|0.00|600.00|20260310|L110||A102|TK1|Research the limitation defence|24-6437381|400.00|Avery, Ann|PT|LIT-42[]',
        '20260402|INV-1001|ACME|M-2026-001|624.95|20260301|20260331|For services rendered|2|E|1|0.00|24.95|20260312||E111|||Meals|24-6437381|24.95|||LIT-42[]',
        '',
      ].join('\r\n'),
    );
    expect(header.endsWith('|[]')).toBe(false);
    expect(cleaned).toEqual([]);
  });

  it('rounds each line half-up to the cent: 0.3 h × 333.33 = 99.999 → 100.00', () => {
    const [line] = written([buildFeeLine({ units: 30, unitCost: 33333 })]);
    expect(line).toMatchObject({
      LINE_ITEM_NUMBER_OF_UNITS: '0.3',
      LINE_ITEM_UNIT_COST: '333.33',
      LINE_ITEM_TOTAL: '100.00',
      INVOICE_TOTAL: '100.00',
    });
  });

  it('sums rounded line totals into the invoice total, repeated on every line', () => {
    // 3 × round(0.1 × 333.35 = 33.335 → 33.34) = 100.02, not round(100.005) = 100.01.
    const lines = [1, 2, 3].map(() => buildFeeLine({ units: 10, unitCost: 33335 }));
    const records = written(lines.map((l, i) => ({ ...l, description: `Call ${i}` })));
    expect(records.map((r) => r.LINE_ITEM_TOTAL)).toEqual(['33.34', '33.34', '33.34']);
    expect(records.map((r) => r.INVOICE_TOTAL)).toEqual(['100.02', '100.02', '100.02']);
  });

  it('keeps a negative adjustment on the line: 2 × 350 − 70 = 630', () => {
    const [line] = written([buildFeeLine({ units: 200, unitCost: 35000, adjustment: -7000 })]);
    expect(line).toMatchObject({
      LINE_ITEM_NUMBER_OF_UNITS: '2',
      LINE_ITEM_ADJUSTMENT_AMOUNT: '-70.00',
      LINE_ITEM_TOTAL: '630.00',
    });
  });

  it('writes an IF discount as units 1, unit cost 0 and the amount in adjustment and total', () => {
    const records = written([
      buildFeeLine({ units: 1000, unitCost: 40000 }),
      buildFeeLine({
        type: 'IF',
        units: 0,
        unitCost: 0,
        adjustment: -40000,
        taskCode: null,
        activityCode: null,
        timekeeper: null,
        description: '10% courtesy discount',
      }),
    ]);
    expect(records[1]).toMatchObject({
      'EXP/FEE/INV_ADJ_TYPE': 'IF',
      LINE_ITEM_NUMBER_OF_UNITS: '1',
      LINE_ITEM_UNIT_COST: '0.00',
      LINE_ITEM_ADJUSTMENT_AMOUNT: '-400.00',
      LINE_ITEM_TOTAL: '-400.00',
      LINE_ITEM_TASK_CODE: '',
      TIMEKEEPER_ID: '',
    });
    expect(records[0]?.INVOICE_TOTAL).toBe('3600.00');
  });

  it('writes a flat fee given as units × cost as an IF line carrying the amount in the adjustment', () => {
    const [line] = written([
      buildFeeLine({
        type: 'IF',
        units: 100,
        unitCost: 125000,
        timekeeper: null,
        taskCode: null,
        activityCode: null,
        description: 'Monthly retainer',
      }),
    ]);
    expect(line).toMatchObject({
      LINE_ITEM_NUMBER_OF_UNITS: '1',
      LINE_ITEM_UNIT_COST: '0.00',
      LINE_ITEM_ADJUSTMENT_AMOUNT: '1250.00',
      LINE_ITEM_TOTAL: '1250.00',
    });
  });

  it('writes an IE expense adjustment the same way', () => {
    const records = written([
      buildExpenseLine({ units: 25000, unitCost: 10 }),
      buildExpenseLine({
        type: 'IE',
        units: 0,
        unitCost: 0,
        adjustment: -500,
        expenseCode: null,
        description: 'Copying cap',
      }),
    ]);
    expect(records[0]).toMatchObject({
      LINE_ITEM_NUMBER_OF_UNITS: '250',
      LINE_ITEM_TOTAL: '25.00',
    });
    expect(records[1]).toMatchObject({
      LINE_ITEM_ADJUSTMENT_AMOUNT: '-5.00',
      LINE_ITEM_TOTAL: '-5.00',
    });
    expect(records[1]?.INVOICE_TOTAL).toBe('20.00');
  });

  it('writes a credit note with a negative invoice total', () => {
    const records = written([
      buildFeeLine({
        type: 'IF',
        units: 0,
        unitCost: 0,
        adjustment: -125050,
        timekeeper: null,
        taskCode: null,
        activityCode: null,
        description: 'Credit for invoice INV-0990',
      }),
    ]);
    expect(records[0]).toMatchObject({ LINE_ITEM_TOTAL: '-1250.50', INVOICE_TOTAL: '-1250.50' });
  });

  it('leaves missing codes and timekeepers empty, never NULL and never filled in', () => {
    const { text } = writeLedes1998B([
      buildInvoice({
        clientMatterId: '',
        lines: [buildFeeLine({ taskCode: null, activityCode: null })],
      }),
    ]);
    expect(text).not.toContain('NULL');
    expect(recordsOf(text)[0]).toMatchObject({
      LINE_ITEM_TASK_CODE: '',
      LINE_ITEM_ACTIVITY_CODE: '',
      CLIENT_MATTER_ID: '',
    });
  });

  it('replaces |, [], CR and LF with a space and reports every cleaning', () => {
    const { text, cleaned } = writeLedes1998B([
      buildInvoice({
        description: 'Fees [] costs',
        lines: [
          buildFeeLine({ description: 'Call A|B\r\nthen draft' }),
          buildFeeLine({ description: 'Review\nnotes', date: '2026-03-11' }),
        ],
      }),
    ]);
    expect(cleaned).toEqual([
      {
        line: 3,
        field: 'INVOICE_DESCRIPTION',
        invoiceNumber: 'INV-1001',
        before: 'Fees [] costs',
        after: 'Fees   costs',
      },
      {
        line: 3,
        field: 'LINE_ITEM_DESCRIPTION',
        invoiceNumber: 'INV-1001',
        before: 'Call A|B\r\nthen draft',
        after: 'Call A B then draft',
      },
      {
        line: 4,
        field: 'LINE_ITEM_DESCRIPTION',
        invoiceNumber: 'INV-1001',
        before: 'Review\nnotes',
        after: 'Review notes',
      },
    ]);
    expect(validateLedes(text).valid).toBe(true);
  });

  it('maps classifications: PL becomes LA in the original codes, or follows a client map', () => {
    const paralegal = buildFeeLine({
      timekeeper: { id: 'P9', firstName: 'Pat', lastName: 'Lee', classification: 'PL' },
    });
    const original = recordsOf(writeLedes1998B([buildInvoice({ lines: [paralegal] })]).text);
    expect(original[0]?.TIMEKEEPER_CLASSIFICATION).toBe('LA');
    const custom = writeLedes1998B([buildInvoice({ lines: [paralegal] })], {
      classification: { custom: { PL: 'PARLGL', PT: 'PARTNR' } },
    });
    expect(recordsOf(custom.text)[0]?.TIMEKEEPER_CLASSIFICATION).toBe('PARLGL');
  });

  it('refuses what it cannot write faithfully, listing every issue', () => {
    const bad = buildInvoice({
      invoiceDate: '2026-02-30',
      lines: [
        buildFeeLine({ units: -10 }),
        buildFeeLine({
          timekeeper: { id: 'X', firstName: '', lastName: 'Y', classification: 'OT' },
        }),
      ],
    });
    let error: unknown;
    try {
      writeLedes1998B([bad], { classification: { custom: { PT: 'PARTNR' } } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    const issues = (error as AppError & { details: { issues: { field: string }[] } }).details
      .issues;
    expect(issues.map((i) => i.field)).toEqual([
      'invoices[0].invoiceDate',
      'invoices[0].lines[0].units',
      'invoices[0].lines[1].timekeeper.classification',
    ]);
    expect(() => writeLedes1998B([buildInvoice({ lines: [] })])).toThrow(AppError);
  });
});
