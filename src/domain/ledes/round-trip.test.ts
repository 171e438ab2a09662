import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLASSIFICATIONS } from '../roles.js';
import { daysInMonth } from '../dates.js';
import { divideRoundHalfUp, parseMoney } from '../money.js';
import { ACTIVITY_CODES, EXPENSE_CODES, TASK_CODES } from '../utbms/utbms.js';
import { mapClassification } from './classification.js';
import { cleanValue } from './clean.js';
import { recordsOf } from './fixtures/ledes-text.js';
import type { LedesAddress, LedesInternational, LedesInvoice, LedesLine } from './ledes-invoice.js';
import { parseLedes } from './parser.js';
import { readLedesInvoices } from './read-invoices.js';
import { validateLedes } from './validator.js';
import { writeLedes1998B, writeLedes98BI } from './writer.js';

// Free text mixes ordinary characters with everything the writer must clean.
const text = fc.string({ unit: fc.constantFrom(..."aZ9 ,;.-'&é|[]\r\n".split('')), maxLength: 24 });
const nonEmpty = text.map((s) => `x${s}`);
// A first name without commas, so `Last, First` splits back at its last ", ".
const firstName = fc.string({
  unit: fc.constantFrom(...'abZ é-|\n'.split('')),
  minLength: 1,
  maxLength: 12,
});
const pad = (n: number) => String(n).padStart(2, '0');
const codeOf = (codes: readonly { code: string }[]) =>
  fc.option(fc.constantFrom(...codes.map((c) => c.code)));

const month = fc.record({
  year: fc.integer({ min: 1990, max: 2099 }),
  month: fc.integer({ min: 1, max: 12 }),
});

function lineArb(year: number, m: number): fc.Arbitrary<LedesLine> {
  const date = fc
    .integer({ min: 1, max: daysInMonth(year, m) })
    .map((d) => `${year}-${pad(m)}-${pad(d)}`);
  const timekeeper = fc.record({
    id: nonEmpty,
    firstName,
    lastName: nonEmpty,
    classification: fc.constantFrom(...CLASSIFICATIONS),
  });
  return fc
    .record({
      type: fc.constantFrom('F', 'E', 'IF', 'IE' as const),
      date,
      units: fc.integer({ min: 0, max: 100_000 }),
      unitCost: fc.integer({ min: 0, max: 10_000_000 }),
      adjustment: fc.integer({ min: -1_000_000, max: 1_000_000 }),
      taskCode: codeOf(TASK_CODES),
      activityCode: codeOf(ACTIVITY_CODES),
      expenseCode: codeOf(EXPENSE_CODES),
      timekeeper: fc.option(timekeeper),
      description: text,
      taxRate: fc.option(fc.integer({ min: 0, max: 500_000 }).map((r) => (r / 1e6).toFixed(6))),
      taxType: text,
    })
    .map((line) =>
      line.type === 'F' && line.timekeeper === null ? { ...line, type: 'E' as const } : line,
    );
}

const address = fc.record({
  line1: text,
  line2: text,
  city: text,
  stateOrRegion: text,
  postcode: text,
  country: text,
});
const international: fc.Arbitrary<LedesInternational> = fc.record({
  poNumber: text,
  clientTaxId: text,
  matterName: text,
  accountType: fc.constantFrom('O', 'T'),
  lawFirmName: text,
  lawFirmAddress: address,
  clientName: text,
  clientAddress: address,
});

const invoiceArb = (index: number): fc.Arbitrary<LedesInvoice> =>
  month.chain(({ year, month: m }) =>
    fc.record({
      invoiceNumber: text.map((s) => `INV${index}-${s}`),
      invoiceDate: fc.constant(`${year}-${pad(m)}-${pad(daysInMonth(year, m))}`),
      clientId: nonEmpty,
      lawFirmMatterId: nonEmpty,
      clientMatterId: text,
      lawFirmId: nonEmpty,
      billingStartDate: fc.constant(`${year}-${pad(m)}-01`),
      billingEndDate: fc.constant(`${year}-${pad(m)}-${pad(daysInMonth(year, m))}`),
      description: text,
      currency: fc.constantFrom('USD', 'EUR', 'GBP'),
      lines: fc.array(lineArb(year, m), { minLength: 1, maxLength: 6 }),
      international,
    }),
  );

const invoicesArb = fc
  .integer({ min: 1, max: 3 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => invoiceArb(i))));

/** Net amount of a line computed independently: round-half-up(units × cost) + adjustment. */
const netOf = (l: LedesLine) =>
  divideRoundHalfUp(BigInt(l.units) * BigInt(l.unitCost), 100n) + l.adjustment;
const rateOf = (l: LedesLine) =>
  l.taxRate == null ? null : BigInt(Math.round(Number(l.taxRate) * 1e6));
const taxOf = (l: LedesLine) => {
  const r = rateOf(l);
  return r === null ? 0 : divideRoundHalfUp(BigInt(netOf(l)) * r, 1_000_000n);
};

/** What reading the written file must give back: cleaned text, mapped classifications, IF/IE amounts in the adjustment. */
function expectedRead(invoice: LedesInvoice, intl: boolean): LedesInvoice {
  const c = cleanValue;
  const lines = invoice.lines.map((l): LedesLine => {
    const level = l.type === 'IF' || l.type === 'IE';
    const tk = l.timekeeper;
    const line: LedesLine = {
      type: l.type,
      date: l.date,
      units: level ? 100 : l.units,
      unitCost: level ? 0 : l.unitCost,
      adjustment: level ? netOf(l) : l.adjustment,
      taskCode: l.taskCode,
      activityCode: l.activityCode,
      expenseCode: l.expenseCode,
      timekeeper: tk && {
        id: c(tk.id),
        firstName: c(tk.firstName),
        lastName: c(tk.lastName),
        classification: mapClassification(tk.classification, 'original') ?? '',
      },
      description: c(l.description),
    };
    if (intl) {
      line.taxRate = l.taxRate == null ? null : String(Number(l.taxRate));
      line.taxType = c(l.taxType ?? '');
    }
    return line;
  });
  const extra = invoice.international;
  const cleanAddress = (a: LedesAddress): LedesAddress => ({
    line1: c(a.line1),
    line2: c(a.line2),
    city: c(a.city),
    stateOrRegion: c(a.stateOrRegion),
    postcode: c(a.postcode),
    country: c(a.country),
  });
  return {
    invoiceNumber: c(invoice.invoiceNumber),
    invoiceDate: invoice.invoiceDate,
    clientId: c(invoice.clientId),
    lawFirmMatterId: c(invoice.lawFirmMatterId),
    clientMatterId: c(invoice.clientMatterId),
    lawFirmId: c(invoice.lawFirmId),
    billingStartDate: invoice.billingStartDate,
    billingEndDate: invoice.billingEndDate,
    description: c(invoice.description),
    currency: intl ? invoice.currency : '',
    lines,
    ...(intl && extra
      ? {
          international: {
            poNumber: c(extra.poNumber),
            clientTaxId: c(extra.clientTaxId),
            matterName: c(extra.matterName),
            accountType: extra.accountType,
            lawFirmName: c(extra.lawFirmName),
            lawFirmAddress: cleanAddress(extra.lawFirmAddress),
            clientName: c(extra.clientName),
            clientAddress: cleanAddress(extra.clientAddress),
            taxCurrency: invoice.currency,
            reportedTaxTotal: invoice.lines.reduce((sum, l) => sum + taxOf(l), 0),
          },
        }
      : {}),
  };
}

describe('LEDES round trip', () => {
  for (const [name, write, intl] of [
    ['LEDES1998B', writeLedes1998B, false],
    ['LEDES98BI V2', writeLedes98BI, true],
  ] as const) {
    it(`reads back every written ${name} invoice unchanged and valid`, () => {
      fc.assert(
        fc.property(invoicesArb, (invoices) => {
          const { text: file } = write(invoices);
          const report = validateLedes(file);
          expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
          expect(report.summary.lines).toBe(invoices.reduce((n, i) => n + i.lines.length, 0));
          expect(readLedesInvoices(parseLedes(file))).toEqual(
            invoices.map((i) => expectedRead(i, intl)),
          );
          // Invoice totals equal the independently computed sum of rounded lines (plus tax in 98BI).
          const totals = recordsOf(file).map((r) => parseMoney(r.INVOICE_TOTAL ?? ''));
          const expected = invoices.flatMap((i) => {
            const total = i.lines.reduce((sum, l) => sum + netOf(l) + (intl ? taxOf(l) : 0), 0);
            return i.lines.map(() => total);
          });
          expect(totals).toEqual(expected);
        }),
        { numRuns: 150 },
      );
    });
  }
});
