/**
 * Golden files: the exact bytes Matterflow exports for an invoice of every fee arrangement and
 * adjustment kind, checked in under golden/. Each file must also pass the validator and read
 * back as the invoice it was written from. Set MATTERFLOW_UPDATE_GOLDEN=1 to rewrite them after
 * an intended change, then review the diff.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanValue } from '../../domain/ledes/clean.js';
import { mapClassification } from '../../domain/ledes/classification.js';
import type { LedesInvoice } from '../../domain/ledes/index.js';
import { parseLedes, readLedesInvoices, validateLedes } from '../../domain/ledes/index.js';
import { extendedAmount } from '../../domain/money.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import { getFirmProfile, updateFirmProfile } from '../clients/ebilling-profile.service.js';
import { recomputeTotals } from '../invoices/invoices.repository.js';
import { buildLedesInvoice, classificationMappingOf } from './build-ledes-invoice.js';
import {
  addInvoiceLevelLine,
  billCase,
  markApproved,
  writeDownLine,
  type LedesCase,
} from './ebilling-fixtures.js';
import * as repo from './ebilling.repository.js';
import { exportInvoiceLedes, sha256Of } from './export-ledes.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(() => t.close());

const update = process.env.MATTERFLOW_UPDATE_GOLDEN === '1';

/** Exports the invoice and compares the bytes with golden/<name>.txt. */
async function expectGolden(name: string, invoiceId: number): Promise<string> {
  await markApproved(t.db, invoiceId);
  const exported = await exportInvoiceLedes(t.ctx, SYSTEM_ACTOR, { id: invoiceId });
  const path = new URL(`./golden/${name}.txt`, import.meta.url);
  if (update) await writeFile(path, exported.content);
  const golden = await readFile(path);
  expect(exported.content.toString('utf8')).toBe(golden.toString('utf8'));
  expect(exported.sha256).toBe(sha256Of(golden));
  const text = golden.toString('utf8');

  const report = validateLedes(text);
  expect(report.problems).toEqual([]);

  // Reading the file back gives the invoice it was written from.
  const invoice = (await repo.findLedesInvoice(t.db, invoiceId))!;
  const lines = await repo.findLedesLines(t.db, invoiceId);
  const model = buildLedesInvoice(invoice, lines).invoice;
  const [read] = readLedesInvoices(parseLedes(text));
  expect(normalize(read!)).toEqual(
    expectedRead(model, (c) => mapClassification(c, classificationMappingOf(invoice))),
  );
  // And its line totals add up to the stored invoice total (before tax).
  const net = read!.lines.reduce(
    (sum, l) => sum + extendedAmount(l.units, l.unitCost) + l.adjustment,
    0,
  );
  expect(net).toBe(Number(invoice.total_cents));
  return text;
}

/** The parts of the model a file carries, as the reader returns them. */
function normalize(invoice: LedesInvoice) {
  const { international: _ignored, ...rest } = invoice;
  return { ...rest, lines: invoice.lines.map((l) => ({ ...l })) };
}

function expectedRead(invoice: LedesInvoice, classify: (c: string) => string | null) {
  const intl = invoice.international !== undefined;
  return {
    ...normalize(invoice),
    currency: intl ? invoice.currency : '',
    invoiceNumber: cleanValue(invoice.invoiceNumber),
    description: cleanValue(invoice.description),
    lines: invoice.lines.map((l) => {
      const level = l.type === 'IF' || l.type === 'IE';
      const line = {
        ...l,
        units: level ? 100 : l.units,
        unitCost: level ? 0 : l.unitCost,
        adjustment: level ? extendedAmount(l.units, l.unitCost) + l.adjustment : l.adjustment,
        description: cleanValue(l.description),
        timekeeper: l.timekeeper && {
          ...l.timekeeper,
          classification: classify(l.timekeeper.classification) ?? '',
        },
      };
      if (intl) {
        line.taxRate = l.taxRate == null ? null : String(Number(l.taxRate));
        line.taxType = l.taxType ?? '';
      }
      return line;
    }),
  };
}

const bill = (c: LedesCase) => billCase(t.db, t.ctx, c);

describe('LEDES 1998B golden files', () => {
  it('hourly: a fee line per entry and the expense; narratives cleaned of | [] and line breaks', async () => {
    const c = await bill({ code: 'HRL' });
    await expectGolden('1998b-hourly', c.invoiceId);
  });

  it('flat fee: the agreed amount as an IF line, the work listed at no charge', async () => {
    const c = await bill({
      code: 'FLT',
      matter: { fee_arrangement: 'flat', fee_amount_cents: 250000 },
    });
    const text = await expectGolden('1998b-flat', c.invoiceId);
    expect(text).toContain('|IF|1|2500.00|2500.00|20261031||||');
  });

  it('contingency: the fee on the outcome as an IF line', async () => {
    const c = await bill({
      code: 'CTG',
      matter: { fee_arrangement: 'contingency', fee_amount_cents: null },
    });
    // The outcome is recorded; the next bill run adds the fee line.
    await t.db
      .updateTable('invoice')
      .set({ outcome_amount_cents: 1200000 })
      .where('id', '=', c.invoiceId)
      .execute();
    await import('../invoices/bill-run.js').then((m) =>
      m.runBillRun(t.ctx, SYSTEM_ACTOR, { period: '2026-10', matterCode: 'CTG-1' }),
    );
    const text = await expectGolden('1998b-contingency', c.invoiceId);
    expect(text).toContain('|IF|1|12000.00|12000.00|20261031|||||Contingency fee on the outcome|');
  });

  it('capped: fee lines and an IF line bringing fees down to the cap', async () => {
    const c = await bill({
      code: 'CAP',
      matter: { fee_arrangement: 'capped', fee_amount_cents: 100000 },
    });
    const text = await expectGolden('1998b-capped', c.invoiceId);
    expect(text).toContain('|IF|1|-845.00|-845.00|20261031|||||Fee cap adjustment|');
  });

  it('line write-down: the reduction is the line adjustment, units × cost + adjustment = total', async () => {
    const c = await bill({ code: 'WDN' });
    await writeDownLine(t.db, c.invoiceId, 2, 12500);
    const text = await expectGolden('1998b-write-down', c.invoiceId);
    expect(text).toContain('|2|F|2.75|-125.00|700.00|20261006|L120||A104|WDNA|');
  });

  it('invoice-level fee and expense adjustments as IF and IE lines', async () => {
    const c = await bill({ code: 'ADJ' });
    await addInvoiceLevelLine(t.db, c.invoiceId, 'IF', -18450, 'Courtesy discount 10% on fees');
    await addInvoiceLevelLine(t.db, c.invoiceId, 'IE', -625, 'Copying at the agreed 0.10 a page');
    const text = await expectGolden('1998b-invoice-adjustments', c.invoiceId);
    expect(text).toContain('|6|IF|1|-184.50|-184.50|20261031|');
    expect(text).toContain('|7|IE|1|-6.25|-6.25|20261031|');
  });

  it('credit note: negative amounts as IF and IE adjustments, never negative units', async () => {
    const c = await bill({ code: 'CRN' });
    const now = new Date('2026-11-10T09:00:00Z');
    const credit = await t.db
      .insertInto('invoice')
      .values({
        invoice_number: 'CRN-CN-0001',
        matter_id: c.matterId,
        client_id: c.clientId,
        period_start: '2026-10-01',
        period_end: '2026-10-31',
        invoice_date: '2026-11-10',
        currency: 'USD',
        fee_arrangement: 'hourly',
        state: 'approved',
        stage_entered_at: now,
        last_bill_run_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await addInvoiceLevelLine(
      t.db,
      credit.id,
      'IF',
      -65000,
      'Credit: fees billed twice on CRN-202610-0001',
    );
    await addInvoiceLevelLine(t.db, credit.id, 'IE', -1875, 'Credit: copying on CRN-202610-0001');
    await recomputeTotals(t.db, credit.id);
    const text = await expectGolden('1998b-credit-note', credit.id);
    expect(text).toContain('\r\n20261110|CRN-CN-0001|CRN-PORTAL|CRN-1|-668.75|');
  });
});

describe('LEDES 98BI golden file', () => {
  it('tax per line and in total, currency on every line, revised classification codes, both addresses', async () => {
    const firm = await getFirmProfile(t.ctx, SYSTEM_ACTOR);
    await updateFirmProfile(t.ctx, SYSTEM_ACTOR, {
      version: firm.version,
      firm_name: 'Arnsley & Beaster LLP',
      address_1: '1 Fleet Street',
      address_2: 'Floor 4',
      city: 'London',
      region: '',
      postcode: 'EC4Y 1AA',
      country: 'GBR',
    });
    const c = await bill({
      code: 'INT',
      client: {
        ebilling_format: 'LEDES98BI',
        ledes_classification_codes: 'revised',
        tax_rate: '0.20',
        tax_type: 'VAT',
        billing_address_1: '500 Fifth Avenue',
        billing_city: 'New York',
        billing_region: 'NY',
        billing_postcode: '10036',
        billing_country: 'USA',
      },
    });
    await addInvoiceLevelLine(t.db, c.invoiceId, 'IF', -18450, 'Courtesy discount 10% on fees');
    const text = await expectGolden('98bi-vat', c.invoiceId);
    expect(text.startsWith('LEDES98BI V2[]\r\n')).toBe(true);
    expect(text).toContain('|Arnsley, Robert|PARTNR|');
    expect(text).toContain('|Beaster, John|ASSOC|');
    expect(text).toContain(
      '|O|Arnsley & Beaster LLP|1 Fleet Street|Floor 4|London||EC4Y 1AA|GBR|INT Holdings|500 Fifth Avenue||New York|NY|10036|USA|',
    );
    const [read] = readLedesInvoices(parseLedes(text));
    expect(read!.international).toMatchObject({
      lawFirmName: 'Arnsley & Beaster LLP',
      lawFirmAddress: { line1: '1 Fleet Street', city: 'London', country: 'GBR' },
      clientAddress: { line1: '500 Fifth Avenue', stateOrRegion: 'NY', postcode: '10036' },
    });
  });
});
