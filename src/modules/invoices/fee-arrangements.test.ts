import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildReleasedExpense,
  buildTimekeeper,
} from '../../test/factories.js';
import { runBillRun } from './bill-run.js';
import { revalueInvoice } from './revalue-invoice.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t.close();
});

/** A client with one matter of the given arrangement; its timekeeper bills 400.00 an hour. */
async function setup(fee_arrangement: string, fee_amount_cents: number | null = null) {
  const client = await buildClient(t.db);
  const matter = await buildMatter(t.db, {
    client_id: client.id,
    fee_arrangement,
    fee_amount_cents,
  });
  const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
  await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
  const entry = (hours: string, work_date = '2026-10-15') =>
    buildReleasedEntry(t.db, {
      matter_id: matter.id,
      timekeeper_id: timekeeper.id,
      hours,
      work_date,
    });
  return { client, matter, timekeeper, entry };
}

const run = (clientCode: string, period = '2026-10') =>
  runBillRun(t.ctx, SYSTEM_ACTOR, { period, clientCode });

const invoiceOf = (matterId: number, period_start = '2026-10-01') =>
  t.db
    .selectFrom('invoice')
    .selectAll()
    .where('matter_id', '=', matterId)
    .where('period_start', '=', period_start)
    .executeTakeFirstOrThrow();

const linesOf = (invoiceId: number) =>
  t.db
    .selectFrom('invoice_line')
    .selectAll()
    .where('invoice_id', '=', invoiceId)
    .orderBy('line_number')
    .execute();

const adjustmentsOf = (invoiceId: number) =>
  t.db
    .selectFrom('invoice_adjustment')
    .selectAll()
    .where('invoice_id', '=', invoiceId)
    .orderBy('id')
    .execute();

/** Every line obeys LEDES arithmetic and the invoice total is the sum of its lines. */
async function expectArithmetic(invoiceId: number) {
  const invoice = await t.db
    .selectFrom('invoice')
    .selectAll()
    .where('id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  const lines = await linesOf(invoiceId);
  for (const l of lines) {
    const units = Math.round(Number(l.units) * 100);
    const extended = Math.round((units * Number(l.unit_cost_cents)) / 100);
    expect(Number(l.amount_cents)).toBe(extended + Number(l.adjustment_cents));
  }
  const sum = lines.reduce((s, l) => s + Number(l.amount_cents), 0);
  expect(Number(invoice.total_cents)).toBe(sum);
  expect(invoice.total_cents).toBe(
    invoice.fees_cents + invoice.expenses_cents + invoice.adjustments_cents,
  );
}

describe('fee arrangements on the bill run', () => {
  it('bills a flat fee as one line and lists the work at no charge', async () => {
    const { client, matter, entry } = await setup('flat', 500000);
    const e = await entry('2.00');
    await buildReleasedExpense(t.db, { matter_id: matter.id });
    await run(client.client_code);
    const invoice = await invoiceOf(matter.id);
    const lines = await linesOf(invoice.id);
    expect(
      lines.map((l) => [
        l.line_type,
        l.time_entry_id,
        l.units,
        l.unit_cost_cents,
        l.adjustment_cents,
        l.amount_cents,
        l.disposition,
      ]),
    ).toEqual([
      ['F', null, '1.00', 500000, 0, 500000, 'bill'],
      ['F', e.id, '2.00', 40000, -80000, 0, 'no_charge'],
      ['E', null, '100.00', 10, 0, 1000, 'bill'],
    ]);
    expect(invoice).toMatchObject({
      fees_cents: 500000,
      expenses_cents: 1000,
      total_cents: 501000,
      worked_fees_cents: 80000,
    });
    expect(await adjustmentsOf(invoice.id)).toMatchObject([
      {
        kind: 'flat_fee',
        amount_cents: -80000,
        reason_code: 'fee_agreement',
        invoice_line_id: lines[1]!.id,
      },
    ]);
    await expectArithmetic(invoice.id);

    // The next month lists its work at no charge without billing the fee again.
    await entry('1.00', '2026-11-03');
    await run(client.client_code, '2026-11');
    const november = await invoiceOf(matter.id, '2026-11-01');
    expect(november).toMatchObject({ fees_cents: 0, total_cents: 0 });
  });

  it('bills only expenses on a contingency matter until an outcome amount is entered', async () => {
    const { client, matter, entry } = await setup('contingency');
    await entry('3.00');
    await buildReleasedExpense(t.db, {
      matter_id: matter.id,
      amount_cents: 2500,
      quantity: '1',
      unit_cost_cents: 2500,
    });
    await run(client.client_code);
    const invoice = await invoiceOf(matter.id);
    expect(invoice).toMatchObject({ fees_cents: 0, expenses_cents: 2500, total_cents: 2500 });
    expect((await adjustmentsOf(invoice.id)).map((a) => a.kind)).toEqual(['contingency_fee']);

    // There is no endpoint for the outcome yet; the next run bills it once it is recorded.
    await t.db
      .updateTable('invoice')
      .set({ outcome_amount_cents: 3000000 })
      .where('id', '=', invoice.id)
      .execute();
    const report = await run(client.client_code);
    expect(report).toMatchObject({ refreshed: 1 });
    const after = await invoiceOf(matter.id);
    expect(after).toMatchObject({
      fees_cents: 3000000,
      total_cents: 3002500,
      version: invoice.version + 1,
    });
    const fee = (await linesOf(invoice.id)).find(
      (l) => l.time_entry_id === null && l.line_type === 'F',
    );
    expect(fee).toMatchObject({ unit_cost_cents: 3000000, new_since_last_run: true });
    await expectArithmetic(invoice.id);
    expect(await run(client.client_code)).toMatchObject({ unchanged: 1 });
  });

  it('brings fees down to the cap with an IF line and carries the remaining balance to the next invoice', async () => {
    const { client, matter, entry } = await setup('capped', 100000);
    await entry('2.00'); // 800.00
    await entry('1.00', '2026-10-16'); // 400.00
    const report = await run(client.client_code);
    expect(report.invoices[0]!.cap).toEqual({
      cap_cents: 100000,
      billed_before_cents: 0,
      invoice_fees_cents: 120000,
      adjustment_cents: -20000,
      remaining_cents: 0,
    });
    const invoice = await invoiceOf(matter.id);
    expect(invoice).toMatchObject({
      fees_cents: 120000,
      adjustments_cents: -20000,
      total_cents: 100000,
    });
    const cap = (await linesOf(invoice.id)).find((l) => l.line_type === 'IF');
    expect(cap).toMatchObject({
      units: '0.00',
      unit_cost_cents: 0,
      adjustment_cents: -20000,
      amount_cents: -20000,
    });
    expect(await adjustmentsOf(invoice.id)).toMatchObject([
      { kind: 'fee_cap', amount_cents: -20000, invoice_line_id: cap!.id },
    ]);
    await expectArithmetic(invoice.id);

    // A second invoice of the matter sees what the first used of the cap.
    const other = await setup('capped', 100000);
    await other.entry('1.00');
    await run(other.client.client_code);
    await other.entry('1.00', '2026-11-02');
    const second = await run(other.client.client_code, '2026-11');
    expect(second.invoices[0]!.cap).toEqual({
      cap_cents: 100000,
      billed_before_cents: 40000,
      invoice_fees_cents: 40000,
      adjustment_cents: 0,
      remaining_cents: 20000,
    });
    await other.entry('1.00', '2026-11-03');
    const third = await run(other.client.client_code, '2026-11');
    expect(third.invoices[0]!.cap).toEqual({
      cap_cents: 100000,
      billed_before_cents: 40000,
      invoice_fees_cents: 80000,
      adjustment_cents: -20000,
      remaining_cents: 0,
    });
    await expectArithmetic((await invoiceOf(other.matter.id, '2026-11-01')).id);
  });

  it('revalues a flagged draft at the new rate and clears the flag', async () => {
    const { client, matter, timekeeper, entry } = await setup('hourly');
    await entry('1.50');
    await run(client.client_code);
    await buildRate(t.db, {
      timekeeper_id: timekeeper.id,
      client_id: client.id,
      rate_cents: 50000,
    });
    await run(client.client_code);
    const flagged = await invoiceOf(matter.id);
    expect(flagged.needs_revaluation).toBe(true);

    await expect(
      revalueInvoice(t.ctx, SYSTEM_ACTOR, flagged.id, flagged.version - 1),
    ).rejects.toMatchObject({ code: 'STALE_VERSION' });
    await revalueInvoice(t.ctx, SYSTEM_ACTOR, flagged.id, flagged.version);
    const after = await invoiceOf(matter.id);
    expect(after).toMatchObject({
      needs_revaluation: false,
      total_cents: 75000,
      worked_fees_cents: 75000,
      version: flagged.version + 1,
    });
    expect((await linesOf(after.id))[0]).toMatchObject({
      unit_cost_cents: 50000,
      worked_unit_cost_cents: 50000,
      amount_cents: 75000,
    });
    await expectArithmetic(after.id);
    expect(await run(client.client_code)).toMatchObject({ unchanged: 1 });
  });
});
