import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  DEFAULT_INVOICE_NUMBER_PATTERN,
  invoiceNumberPattern,
  nextInvoiceNumber,
  nextInvoiceNumbers,
  renderNumber,
} from './invoice-number.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t.close();
});

const values = { clientCode: 'ACME', matterCode: 'ACME-7', period: '2026-10' };

describe('invoice numbers', () => {
  it('renders every token and uses the default pattern when none is configured', () => {
    expect(renderNumber('{client}/{matter}/{yy}{mm}/{seq:3}', values, 7)).toBe(
      'ACME/ACME-7/2610/007',
    );
    expect(invoiceNumberPattern({})).toBe(DEFAULT_INVOICE_NUMBER_PATTERN);
    expect(invoiceNumberPattern({ MATTERFLOW_INVOICE_NUMBER_PATTERN: 'F{yyyy}-{seq}' })).toBe(
      'F{yyyy}-{seq}',
    );
  });

  it('refuses a pattern without exactly one sequence or with unknown tokens', () => {
    for (const bad of ['{client}-{yyyy}', '{seq}-{seq}', '{client}-{dd}-{seq}'])
      expect(() => invoiceNumberPattern({ MATTERFLOW_INVOICE_NUMBER_PATTERN: bad })).toThrow(
        expect.objectContaining({ code: 'INVOICE_NUMBER_PATTERN_INVALID' }),
      );
  });

  it('counts per prefix, so numbers are unique and restart for another client or month', async () => {
    const take = (v: typeof values) =>
      t.db
        .transaction()
        .execute((trx) => nextInvoiceNumber(trx, DEFAULT_INVOICE_NUMBER_PATTERN, v));
    const numbers = [];
    for (let i = 0; i < 3; i++) numbers.push(await take(values));
    expect(numbers).toEqual(['ACME-202610-0001', 'ACME-202610-0002', 'ACME-202610-0003']);
    expect(await take({ ...values, period: '2026-11' })).toBe('ACME-202611-0001');
    expect(await take({ ...values, clientCode: 'GLOBEX' })).toBe('GLOBEX-202610-0001');
  });

  it('hands out many numbers in one go, in the order asked, each counter moving by its share', async () => {
    const other = { ...values, clientCode: 'INITECH' };
    await t.db
      .transaction()
      .execute((trx) => nextInvoiceNumber(trx, DEFAULT_INVOICE_NUMBER_PATTERN, other));
    const numbers = await t.db
      .transaction()
      .execute((trx) =>
        nextInvoiceNumbers(trx, DEFAULT_INVOICE_NUMBER_PATTERN, [
          other,
          { ...values, clientCode: 'UMBRELLA' },
          other,
          other,
        ]),
      );
    expect(numbers).toEqual([
      'INITECH-202610-0002',
      'UMBRELLA-202610-0001',
      'INITECH-202610-0003',
      'INITECH-202610-0004',
    ]);
    const next = await t.db
      .transaction()
      .execute((trx) => nextInvoiceNumber(trx, DEFAULT_INVOICE_NUMBER_PATTERN, other));
    expect(next).toBe('INITECH-202610-0005');
  });

  it('refuses the whole batch when a number would be too long for LEDES', async () => {
    const long = { ...values, clientCode: 'AVERYLONGCLIENTCODE' };
    await expect(
      t.db
        .transaction()
        .execute((trx) => nextInvoiceNumbers(trx, DEFAULT_INVOICE_NUMBER_PATTERN, [values, long])),
    ).rejects.toMatchObject({ code: 'INVOICE_NUMBER_TOO_LONG' });
  });
});
