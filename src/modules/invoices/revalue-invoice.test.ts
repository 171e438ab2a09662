import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  buildActiveGuideline,
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';
import { caller } from '../../test/invoice-drafts.js';

let t: TestDatabase;
let app: FastifyInstance;
let call: ReturnType<typeof caller>;
let coordinator: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  call = caller(app);
  coordinator = await signIn(
    app,
    (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
  );
});
afterAll(async () => {
  await app.close();
  await t.close();
});
// Write-downs apply at once unless a test turns the thresholds on.
beforeEach(async () => {
  await t.db
    .updateTable('prebill_setting')
    .set({ write_down_approval_amount_cents: null, write_down_approval_percent: null })
    .execute();
});

interface Line {
  id: number;
  time_entry_id: number;
  units: string;
  unit_cost_cents: number;
  adjustment_cents: number;
  amount_cents: number;
  worked_units: string;
  worked_unit_cost_cents: number;
  worked_amount_cents: number;
  disposition: string;
}

interface Adjustment {
  id: number;
  invoice_line_id: number;
  kind: string;
  field: string;
  amount_cents: number;
  reason_code: string;
  state: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

async function invoice(id: number) {
  const response = await call('GET', `/invoices/${id}`, coordinator);
  expect(response.statusCode).toBe(200);
  return response.json<{
    version: number;
    total_cents: number;
    fees_cents: number;
    worked_fees_cents: number;
    needs_revaluation: boolean;
    lines: Line[];
    adjustments: Adjustment[];
  }>();
}

/** A client (with `rules` in an active guideline, if any), an hourly matter at 400.00 and entries. */
async function draftWith(hours: string[], rules: string[] = []) {
  const client = await buildClient(t.db);
  if (rules.length > 0)
    await buildActiveGuideline(
      t.db,
      `id: ${client.client_code.toLowerCase()}-terms
client: ${client.client_code}
name: Terms
effective_from: 2026-01-01
rules:
${rules.map((r) => `  - ${r}`).join('\n')}
`,
      client.id,
    );
  const partner = await buildTimekeeper(t.db, { classification: 'PT' });
  const approverUser = await buildUser(t.db, { roles: ['approver'], timekeeper_id: partner.id });
  const matter = await buildMatter(t.db, {
    client_id: client.id,
    responsible_attorney_id: partner.id,
  });
  const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
  await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
  const entries: { id: number }[] = [];
  for (const [i, h] of hours.entries())
    entries.push(
      await buildReleasedEntry(t.db, {
        matter_id: matter.id,
        timekeeper_id: timekeeper.id,
        hours: h,
        work_date: `2026-10-${String(10 + i).padStart(2, '0')}`,
      }),
    );
  const run = await call('POST', '/bill-runs', coordinator, {
    period: '2026-10',
    matter_code: matter.matter_code,
  });
  expect(run.statusCode).toBe(200);
  const id: number = run.json().invoices[0].id;
  const lineOf = async (entryIndex: number) =>
    (await invoice(id)).lines.find((l) => l.time_entry_id === entries[entryIndex]!.id)!;
  /** A new matter rate for the timekeeper, then a bill run that flags the draft. */
  const changeRate = async (rateCents: number) => {
    await buildRate(t.db, {
      timekeeper_id: timekeeper.id,
      matter_id: matter.id,
      rate_cents: rateCents,
    });
    await call('POST', '/bill-runs', coordinator, {
      period: '2026-10',
      matter_code: matter.matter_code,
    });
    const flagged = await invoice(id);
    expect(flagged.needs_revaluation).toBe(true);
    return flagged;
  };
  return { id, entries, lineOf, changeRate, approver: await signIn(app, approverUser.email) };
}

async function ok(response: Awaited<ReturnType<typeof call>>) {
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const editLine = async (id: number, lineId: number, body: object) =>
  ok(
    await call('PATCH', `/invoices/${id}/lines/${lineId}`, coordinator, {
      version: (await invoice(id)).version,
      reason_code: 'excessive_time',
      ...body,
    }),
  );

const adjust = async (id: number, lineId: number, body: object) =>
  ok(
    await call('POST', `/invoices/${id}/adjustments`, coordinator, {
      version: (await invoice(id)).version,
      kind: 'write_down',
      line_id: lineId,
      reason_code: 'client_relationship',
      ...body,
    }),
  );

const billed = (l: Line) => [l.units, l.unit_cost_cents, l.adjustment_cents, l.amount_cents];

describe('revaluing a draft after a rate change', () => {
  it("re-applies the reviewer's edits and write-downs and the guideline to the new rate", async () => {
    const draft = await draftWith(
      ['1.50', '2.00', '1.00', '1.00', '1.00'],
      [
        '{ id: cap-rate, kind: rate_cap, params: { max_rate: 450 }, severity: adjust, owner: billing_coordinator }',
      ],
    );
    const { id } = draft;
    await editLine(id, (await draft.lineOf(0)).id, { hours: '1.00' });
    await adjust(id, (await draft.lineOf(1)).id, { percent: '10' });
    await adjust(id, (await draft.lineOf(2)).id, { amount: '50.00' });
    await editLine(id, (await draft.lineOf(3)).id, {
      rate: '350.00',
      reason_code: 'client_relationship',
    });
    // Any further write-down now waits for the next approval level.
    await t.db
      .updateTable('prebill_setting')
      .set({ write_down_approval_amount_cents: 1 })
      .execute();
    const pending = await adjust(id, (await draft.lineOf(4)).id, { percent: '25' });
    expect(pending).toMatchObject({ total_cents: 40000 + 72000 + 35000 + 35000 + 30000 });
    const edited = await invoice(id);
    const entriesBefore = await t.db
      .selectFrom('time_entry')
      .selectAll()
      .where(
        'id',
        'in',
        draft.entries.map((e) => e.id),
      )
      .orderBy('id')
      .execute();

    const flagged = await draft.changeRate(50000);
    const revalued = await call('POST', `/invoices/${id}/revalue`, coordinator, {
      version: flagged.version,
    });
    expect(revalued.statusCode, revalued.body).toBe(200);
    expect(revalued.json()).toMatchObject({ needs_revaluation: false });
    const after = await invoice(id);
    const lines = await Promise.all([0, 1, 2, 3, 4].map((i) => draft.lineOf(i)));
    // Worked values at 500.00; billed: the cap at 450.00 first, then the reviewer's changes.
    expect(lines.map((l) => [l.worked_unit_cost_cents, l.worked_amount_cents])).toEqual([
      [50000, 75000],
      [50000, 100000],
      [50000, 50000],
      [50000, 50000],
      [50000, 50000],
    ]);
    expect(lines.map(billed)).toEqual([
      ['1.00', 45000, 0, 45000], // hours set to 1.00 stay 1.00
      ['2.00', 45000, -9000, 81000], // 10 % of 900.00
      ['1.00', 45000, -5000, 40000], // 50.00 off
      ['1.00', 35000, 0, 35000], // the rate set by hand stays
      ['1.00', 45000, -11250, 33750], // 25 % of 450.00, still pending
    ]);
    expect(after).toMatchObject({
      total_cents: 45000 + 81000 + 40000 + 35000 + 33750,
      fees_cents: 234750,
      worked_fees_cents: 75000 + 100000 + 50000 + 50000 + 50000,
      version: flagged.version + 1,
    });

    // The reviewer's rows are still there, in their states, with their amounts brought up to date.
    const reviewer = (a: Adjustment) => a.kind !== 'guideline' && a.kind !== 'revaluation';
    expect(after.adjustments.filter(reviewer).map((a) => a.id)).toEqual(
      edited.adjustments.map((a) => a.id),
    );
    expect(
      after.adjustments.filter(reviewer).map((a) => [a.kind, a.field, a.amount_cents, a.state]),
    ).toEqual([
      ['write_down', 'hours', -22500, 'applied'],
      ['write_down', 'amount', -9000, 'applied'],
      ['write_down', 'amount', -5000, 'applied'],
      ['write_down', 'rate', -10000, 'applied'],
      ['write_down', 'amount', -11250, 'pending'],
    ]);
    const pendingRow = after.adjustments.find((a) => a.state === 'pending')!;
    expect(pendingRow.before).toMatchObject({ amount_cents: 45000, basis: { percent: '25' } });
    expect(pendingRow.after).toMatchObject({ amount_cents: 33750 });
    // The guideline caps the new rate on every line, as the bill run would.
    expect(
      after.adjustments
        .filter((a) => a.kind === 'guideline')
        .map((a) => [a.field, a.reason_code, a.amount_cents]),
    ).toEqual([0, 1, 2, 3, 4].map(() => ['rate', 'guideline:cap-rate', expect.any(Number)]));
    // One revaluation record per line with the values before and after.
    const revaluations = after.adjustments.filter((a) => a.kind === 'revaluation');
    expect(revaluations.map((a) => a.invoice_line_id)).toEqual(lines.map((l) => l.id));
    expect(revaluations[1]).toMatchObject({
      field: 'rate',
      amount_cents: 81000 - 72000,
      before: { unit_cost_cents: 40000, amount_cents: 72000, worked_unit_cost_cents: 40000 },
      after: { unit_cost_cents: 45000, amount_cents: 81000, worked_unit_cost_cents: 50000 },
    });

    // The recorded time is untouched; the audit trail has the revaluation.
    expect(
      await t.db
        .selectFrom('time_entry')
        .selectAll()
        .where(
          'id',
          'in',
          draft.entries.map((e) => e.id),
        )
        .orderBy('id')
        .execute(),
    ).toEqual(entriesBefore);
    const history = (await call('GET', `/invoices/${id}/history`, coordinator)).json();
    const events = history.audit_events.filter(
      (e: { action: string }) => e.action === 'invoice.revalue',
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      before: { total_cents: flagged.total_cents },
      after: { total_cents: 234750, lines_revalued: 5, adjustments_reapplied: 5 },
    });

    // The pending write-down is still decided as one: rejected, its line bills 450.00 again.
    const decided = await call(
      'POST',
      `/invoices/${id}/adjustments/${pendingRow.id}/decision`,
      draft.approver,
      { decision: 'reject', version: after.version },
    );
    expect(decided.statusCode, decided.body).toBe(200);
    expect(billed(await draft.lineOf(4))).toEqual(['1.00', 45000, 0, 45000]);
    expect((await invoice(id)).total_cents).toBe(234750 + 11250);
  });

  it('caps a fixed write-down at the new amount and keeps dispositions; a stale version is a 409', async () => {
    const draft = await draftWith(['0.50', '1.00', '1.00', '2.00']);
    const { id } = draft;
    await adjust(id, (await draft.lineOf(0)).id, { amount: '150.00' });
    await ok(
      await call(
        'POST',
        `/invoices/${id}/lines/${(await draft.lineOf(1)).id}/disposition`,
        coordinator,
        {
          version: (await invoice(id)).version,
          reason_code: 'client_relationship',
          disposition: 'no_charge',
        },
      ),
    );
    await ok(
      await call(
        'POST',
        `/invoices/${id}/lines/${(await draft.lineOf(2)).id}/disposition`,
        coordinator,
        {
          version: (await invoice(id)).version,
          reason_code: 'billing_error',
          disposition: 'exclude',
        },
      ),
    );
    await adjust(id, (await draft.lineOf(3)).id, { hours: '0.50' });
    expect((await invoice(id)).total_cents).toBe(5000 + 0 + 60000);

    const flagged = await draft.changeRate(25000);
    const stale = await call('POST', `/invoices/${id}/revalue`, coordinator, {
      version: flagged.version - 1,
    });
    expect(stale.statusCode).toBe(409);
    expect((await invoice(id)).version).toBe(flagged.version);
    await ok(
      await call('POST', `/invoices/${id}/revalue`, coordinator, { version: flagged.version }),
    );
    const lines = await Promise.all([0, 1, 2, 3].map((i) => draft.lineOf(i)));
    expect(lines.map((l) => [...billed(l), l.disposition])).toEqual([
      ['0.50', 25000, -12500, 0, 'bill'], // 150.00 off a 125.00 line takes it to 0, not below
      ['1.00', 25000, -25000, 0, 'no_charge'],
      ['1.00', 25000, 0, 25000, 'exclude'],
      ['1.50', 25000, 0, 37500, 'bill'], // half an hour off stays half an hour off
    ]);
    const after = await invoice(id);
    expect(after).toMatchObject({ total_cents: 37500, needs_revaluation: false });
    const capped = after.adjustments.find(
      (a) => a.invoice_line_id === lines[0]!.id && a.kind === 'write_down',
    )!;
    expect(capped).toMatchObject({ amount_cents: -12500, before: { basis: { amount: '150.00' } } });
  });
});
