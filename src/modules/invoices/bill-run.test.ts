import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimeEntry,
  buildTimekeeper,
} from '../../test/factories.js';
import { runBillRun } from './bill-run.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t.close();
});

/** A client with one hourly matter and a timekeeper billing 400.00 an hour by default. */
async function hourlySetup() {
  const client = await buildClient(t.db);
  const matter = await buildMatter(t.db, { client_id: client.id });
  const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
  await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
  return { client, matter, timekeeper };
}

const run = (clientCode: string) =>
  runBillRun(t.ctx, SYSTEM_ACTOR, { period: '2026-10', clientCode });

const linesOf = (invoiceId: number) =>
  t.db
    .selectFrom('invoice_line')
    .selectAll()
    .where('invoice_id', '=', invoiceId)
    .orderBy('line_number')
    .execute();

const invoicesOf = (clientId: number) =>
  t.db.selectFrom('invoice').selectAll().where('client_id', '=', clientId).orderBy('id').execute();

describe('the bill run on hourly matters', () => {
  it('creates one draft per matter with a fee line per released entry, valued by the rate lookup', async () => {
    const { client, matter, timekeeper } = await hourlySetup();
    const other = await buildMatter(t.db, { client_id: client.id });
    const a = await buildReleasedEntry(t.db, {
      matter_id: matter.id,
      timekeeper_id: timekeeper.id,
      hours: '1.50',
    });
    const b = await buildReleasedEntry(t.db, {
      matter_id: matter.id,
      timekeeper_id: timekeeper.id,
      hours: '0.25',
      work_date: '2026-10-02',
    });
    await buildReleasedEntry(t.db, {
      matter_id: other.id,
      timekeeper_id: timekeeper.id,
      hours: '2.00',
    });
    // Not billed: a draft entry, non-billable time and work outside the period.
    await buildTimeEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
    await buildReleasedEntry(t.db, {
      matter_id: matter.id,
      timekeeper_id: timekeeper.id,
      billable: false,
    });
    await buildReleasedEntry(t.db, {
      matter_id: matter.id,
      timekeeper_id: timekeeper.id,
      work_date: '2026-11-01',
    });

    const report = await run(client.client_code);
    expect(report).toMatchObject({
      created: 2,
      refreshed: 0,
      unchanged: 0,
      entries_billed: 3,
      skipped: [],
    });
    const [first, second] = await invoicesOf(client.id);
    expect(first).toMatchObject({
      matter_id: matter.id,
      state: 'draft',
      period_start: '2026-10-01',
      period_end: '2026-10-31',
      fees_cents: 70000,
      worked_fees_cents: 70000,
      expenses_cents: 0,
      adjustments_cents: 0,
      total_cents: 70000,
      version: 1,
      owner_role: 'billing_coordinator',
    });
    expect(first!.invoice_number).toMatch(new RegExp(`^${client.client_code}-202610-\\d{4}$`));
    expect(second).toMatchObject({ matter_id: other.id, total_cents: 80000 });
    expect(first!.invoice_number).not.toBe(second!.invoice_number);

    const lines = await linesOf(first!.id);
    expect(
      lines.map((l) => [l.line_type, l.time_entry_id, l.units, l.unit_cost_cents, l.amount_cents]),
    ).toEqual([
      // In work-date order.
      ['F', b.id, '0.25', 40000, 10000],
      ['F', a.id, '1.50', 40000, 60000],
    ]);
    expect(lines[1]).toMatchObject({
      worked_units: '1.50',
      worked_unit_cost_cents: 40000,
      worked_amount_cents: 60000,
      disposition: 'bill',
    });

    // The time entry keeps its recorded values and stays released until the invoice is approved.
    const entry = await t.db
      .selectFrom('time_entry')
      .selectAll()
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      status: 'released',
      hours: '1.50',
      rate_cents: null,
      amount_cents: null,
      version: a.version,
    });

    const stages = await t.db
      .selectFrom('invoice_stage_event')
      .selectAll()
      .where('invoice_id', '=', first!.id)
      .execute();
    expect(stages).toMatchObject([{ from_state: null, to_state: 'draft', trigger: 'bill_run' }]);
    const audit = await t.db
      .selectFrom('audit_event')
      .select('action')
      .where('entity_type', '=', 'invoice')
      .where('entity_id', '=', String(first!.id))
      .execute();
    expect(audit).toEqual([{ action: 'invoice.bill_run' }]);
  });

  it('is idempotent: a second run creates and changes nothing', async () => {
    const { client, matter, timekeeper } = await hourlySetup();
    await buildReleasedEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
    await run(client.client_code);
    const before = await invoicesOf(client.id);
    const events = await t.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();

    const report = await run(client.client_code);
    expect(report).toMatchObject({ created: 0, refreshed: 0, unchanged: 1, entries_billed: 0 });
    expect(report.invoices[0]).toMatchObject({
      outcome: 'unchanged',
      invoice_number: before[0]!.invoice_number,
    });
    expect(await invoicesOf(client.id)).toEqual(before);
    const after = await t.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toEqual(events.n);
  });

  it('adds work released after the last run to the open draft and marks it new', async () => {
    const { client, matter, timekeeper } = await hourlySetup();
    await buildReleasedEntry(t.db, {
      matter_id: matter.id,
      timekeeper_id: timekeeper.id,
      hours: '1.00',
    });
    await run(client.client_code);
    const late = await buildReleasedEntry(t.db, {
      matter_id: matter.id,
      timekeeper_id: timekeeper.id,
      hours: '0.50',
    });
    t.clock.advance(3_600_000);

    const report = await run(client.client_code);
    expect(report).toMatchObject({ created: 0, refreshed: 1, entries_billed: 1 });
    const [invoice] = await invoicesOf(client.id);
    expect(invoice).toMatchObject({
      version: 2,
      total_cents: 60000,
      last_bill_run_at: t.clock.now(),
    });
    const lines = await linesOf(invoice!.id);
    expect(lines.map((l) => [l.line_number, l.new_since_last_run])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(lines[1]!.time_entry_id).toBe(late.id);

    // A third run with nothing new keeps the marks of the last one that added work.
    await run(client.client_code);
    expect((await linesOf(invoice!.id)).map((l) => l.new_since_last_run)).toEqual([false, true]);
  });

  it('writes a chunk of matters together: each created, refreshed or unchanged as if alone', async () => {
    const { client, matter: refreshed, timekeeper } = await hourlySetup();
    const unchanged = await buildMatter(t.db, { client_id: client.id });
    for (const m of [refreshed, unchanged])
      await buildReleasedEntry(t.db, {
        matter_id: m.id,
        timekeeper_id: timekeeper.id,
        hours: '1.00',
      });
    await run(client.client_code);
    const created = await buildMatter(t.db, { client_id: client.id });
    await buildReleasedEntry(t.db, {
      matter_id: refreshed.id,
      timekeeper_id: timekeeper.id,
      hours: '0.50',
    });
    for (const hours of ['2.00', '0.25'])
      await buildReleasedEntry(t.db, {
        matter_id: created.id,
        timekeeper_id: timekeeper.id,
        hours,
      });
    const firstEvent = await t.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();

    const report = await run(client.client_code);
    expect(report).toMatchObject({ created: 1, refreshed: 1, unchanged: 1, entries_billed: 3 });
    expect(
      report.invoices.map((i) => [i.matter_code, i.outcome, i.lines_added, i.total_cents]),
    ).toEqual([
      [refreshed.matter_code, 'refreshed', 1, 60000],
      [unchanged.matter_code, 'unchanged', 0, 40000],
      [created.matter_code, 'created', 2, 90000],
    ]);
    const invoices = await invoicesOf(client.id);
    expect(invoices.map((i) => [i.matter_id, i.total_cents, i.fees_cents, i.version])).toEqual([
      [refreshed.id, 60000, 60000, 2],
      [unchanged.id, 40000, 40000, 1],
      [created.id, 90000, 90000, 1],
    ]);
    const newDraft = invoices[2]!;
    expect((await linesOf(newDraft.id)).map((l) => [l.line_number, l.amount_cents])).toEqual([
      [1, 80000],
      [2, 10000],
    ]);
    const stages = await t.db
      .selectFrom('invoice_stage_event')
      .select(['to_state', 'trigger'])
      .where('invoice_id', '=', newDraft.id)
      .execute();
    expect(stages).toEqual([{ to_state: 'draft', trigger: 'bill_run' }]);
    const events = await t.db
      .selectFrom('audit_event')
      .select(['action', 'entity_id'])
      .where('id', '>', Number(firstEvent.id))
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { action: 'invoice.bill_run', entity_id: String(invoices[0]!.id) },
      { action: 'invoice.bill_run', entity_id: String(newDraft.id) },
    ]);
  });

  it('flags the draft for revaluation when a rate changes after the run, leaving the lines', async () => {
    const { client, matter, timekeeper } = await hourlySetup();
    await buildReleasedEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
    await run(client.client_code);
    await buildRate(t.db, {
      timekeeper_id: timekeeper.id,
      matter_id: matter.id,
      rate_cents: 45000,
    });

    const report = await run(client.client_code);
    expect(report.invoices[0]).toMatchObject({ outcome: 'refreshed', needs_revaluation: true });
    const [invoice] = await invoicesOf(client.id);
    expect(invoice).toMatchObject({ needs_revaluation: true, total_cents: 60000, version: 2 });
    expect((await linesOf(invoice!.id))[0]).toMatchObject({
      unit_cost_cents: 40000,
      worked_unit_cost_cents: 40000,
    });
  });

  it('skips an entry with no rate, reports why, and bills the rest', async () => {
    const { client, matter, timekeeper } = await hourlySetup();
    const unrated = await buildTimekeeper(t.db, { standard_rate_cents: null });
    await buildReleasedEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
    const orphan = await buildReleasedEntry(t.db, {
      matter_id: matter.id,
      timekeeper_id: unrated.id,
    });

    const report = await run(client.client_code);
    expect(report.created).toBe(1);
    expect(report.skipped).toEqual([
      expect.objectContaining({
        entity: 'time_entry',
        id: orphan.entry_id,
        code: 'RATE_NOT_FOUND',
        message: expect.stringContaining(unrated.timekeeper_code),
      }),
    ]);
    const [invoice] = await invoicesOf(client.id);
    expect(await linesOf(invoice!.id)).toHaveLength(1);
  });

  it('numbers invoices by the configured pattern and refuses numbers over 20 characters', async () => {
    const { client, matter, timekeeper } = await hourlySetup();
    await buildReleasedEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
    const report = await runBillRun(
      t.ctx,
      SYSTEM_ACTOR,
      { period: '2026-10', clientCode: client.client_code },
      { pattern: 'INV{yy}{mm}-{seq:5}' },
    );
    expect(report.invoices[0]!.invoice_number).toMatch(/^INV2610-\d{5}$/);

    const long = await hourlySetup();
    await buildReleasedEntry(t.db, {
      matter_id: long.matter.id,
      timekeeper_id: long.timekeeper.id,
    });
    await expect(
      runBillRun(
        t.ctx,
        SYSTEM_ACTOR,
        { period: '2026-10', clientCode: long.client.client_code },
        { pattern: 'MATTERFLOW-{client}-{yyyy}{mm}-{seq:6}' },
      ),
    ).rejects.toMatchObject({ code: 'INVOICE_NUMBER_TOO_LONG' });
    expect(await invoicesOf(long.client.id)).toEqual([]);
  });

  it('rejects a period that is not a month', async () => {
    await expect(runBillRun(t.ctx, SYSTEM_ACTOR, { period: '2026-13' })).rejects.toMatchObject({
      code: 'PERIOD_INVALID',
    });
  });
});
