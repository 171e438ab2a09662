import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildUser, signIn } from '../../test/factories.js';
import { billedDraft, caller } from '../../test/invoice-drafts.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;
let member: string;
let call: ReturnType<typeof caller>;
let a: Awaited<ReturnType<typeof billedDraft>>;
let b: Awaited<ReturnType<typeof billedDraft>>;
let walled: Awaited<ReturnType<typeof billedDraft>>;

async function adjust(id: number, body: object, cookie = coordinator) {
  const { version } = (await call('GET', `/invoices/${id}`, cookie)).json();
  const response = await call('POST', `/invoices/${id}/adjustments`, cookie, {
    version,
    kind: 'write_down',
    ...body,
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

/**
 * Two matters of different clients and one walled matter, with write-downs that stand, one
 * pending and one rejected (neither counts), and a write-up (not a write-down).
 */
beforeAll(async () => {
  t = await openTestDatabase();
  // Late enough that the jump below stays inside the session's idle timeout.
  t.clock.set('2026-11-10T23:30:00Z');
  app = await buildApp({ ctx: t.ctx });
  call = caller(app);
  coordinator = await signIn(
    app,
    (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
  );
  const memberUser = await buildUser(t.db, { roles: ['billing_coordinator'] });
  member = await signIn(app, memberUser.email);
  await t.db
    .updateTable('prebill_setting')
    .set({ write_down_approval_amount_cents: 100000, write_down_approval_percent: null })
    .execute();

  a = await billedDraft(t, app, coordinator, { entries: [{ hours: '10.00' }, { hours: '5.00' }] });
  b = await billedDraft(t, app, coordinator, { entries: [{ hours: '10.00' }] });
  walled = await billedDraft(t, app, member, {
    restricted: true,
    member: memberUser.id,
    entries: [{ hours: '10.00' }],
  });
  const linesA = (await call('GET', `/invoices/${a.id}`, coordinator)).json().lines;
  await adjust(a.id, { line_id: linesA[0].id, amount: '100.00', reason_code: 'inefficiency' });
  await adjust(a.id, { line_id: linesA[1].id, hours: '1.00', reason_code: 'training' });
  await adjust(a.id, { amount: '50.00', kind: 'discount', reason_code: 'client_relationship' });
  await adjust(a.id, { amount: '25.00', kind: 'write_up', reason_code: 'billing_error' });
  t.clock.set('2026-11-11T01:00:00Z');
  await adjust(b.id, { percent: '5', reason_code: 'inefficiency' });
  // Above the 1,000.00 threshold: pending, then rejected; then another one left pending.
  const pending = await adjust(b.id, { amount: '2000.00', reason_code: 'inefficiency' });
  const adjustment = pending.adjustments[pending.adjustments.length - 1];
  const rejected = await call(
    'POST',
    `/invoices/${b.id}/adjustments/${adjustment.id}/decision`,
    b.approver,
    { decision: 'reject', version: pending.version },
  );
  expect(rejected.statusCode).toBe(200);
  await adjust(b.id, { amount: '1500.00', reason_code: 'inefficiency' });
  await adjust(walled.id, { amount: '70.00', reason_code: 'training' }, member);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const report = (by: string, cookie = coordinator, from = '2026-11-10', to = '2026-11-12') =>
  call('GET', `/reports/write-downs?from=${from}&to=${to}&by=${by}`, cookie);

describe('the write-down report', () => {
  it('sums the write-downs that stand by reason', async () => {
    const response = await report('reason');
    expect(response.statusCode).toBe(200);
    // a: 100.00 + 1 h at 400.00 + 50.00 discount; b: 5 % of 4,000.00 = 200.00.
    expect(response.json()).toMatchObject({
      by: 'reason',
      total_cents: 75000,
      count: 4,
      rows: [
        {
          key: 'inefficiency',
          label: 'Inefficiency or duplicated effort',
          count: 2,
          amount_cents: 30000,
        },
        { key: 'training', count: 1, amount_cents: 40000 },
        { key: 'client_relationship', count: 1, amount_cents: 5000 },
      ].sort((x, y) => y.amount_cents - x.amount_cents),
    });
  });

  it('groups by timekeeper, matter and client, with invoice-level ones apart', async () => {
    const byTimekeeper = (await report('timekeeper')).json();
    const codes = await t.db
      .selectFrom('timekeeper')
      .select(['id', 'timekeeper_code'])
      .where('id', 'in', [a.timekeeper.id, b.timekeeper.id])
      .execute();
    const code = (id: number) => codes.find((c) => Number(c.id) === id)!.timekeeper_code;
    expect(byTimekeeper.rows).toEqual([
      { key: code(a.timekeeper.id), label: expect.any(String), count: 2, amount_cents: 50000 },
      { key: '(invoice)', label: 'Invoice-level', count: 2, amount_cents: 25000 },
    ]);
    const byMatter = (await report('matter')).json();
    expect(
      byMatter.rows.map((r: { key: string; amount_cents: number }) => [r.key, r.amount_cents]),
    ).toEqual([
      [a.matter.matter_code, 55000],
      [b.matter.matter_code, 20000],
    ]);
    const byClient = (await report('client')).json();
    expect(byClient.rows.map((r: { key: string }) => r.key)).toEqual([
      a.client.client_code,
      b.client.client_code,
    ]);
  });

  it('shows walled matters to their members only, and only the period asked', async () => {
    const inside = (await report('matter', member)).json();
    expect(inside.total_cents).toBe(82000);
    expect(inside.rows.map((r: { key: string }) => r.key)).toContain(walled.matter.matter_code);
    expect((await report('reason', coordinator, '2020-01-01', '2020-12-31')).json()).toMatchObject({
      total_cents: 0,
      rows: [],
    });
    const onlyB = (await report('matter', coordinator, '2026-11-11', '2026-11-30')).json();
    expect(onlyB.rows).toEqual([
      { key: b.matter.matter_code, label: expect.any(String), count: 1, amount_cents: 20000 },
    ]);
    const bad = await report('reason', coordinator, '2026-02-30', '2026-11-12');
    expect(bad.statusCode).toBe(400);
  });

  it('narrows to one client or one practice area', async () => {
    await t.db
      .updateTable('matter')
      .set({ practice_area: 'Employment' })
      .where('id', '=', b.matter.id)
      .execute();
    const url = (filter: string) =>
      `/reports/write-downs?from=2026-11-10&to=2026-11-12&by=matter&${filter}`;
    const ofA = (await call('GET', url(`client_code=${a.client.client_code}`), coordinator)).json();
    expect(ofA).toMatchObject({
      total_cents: 55000,
      rows: [{ key: a.matter.matter_code, count: 3 }],
    });
    const employment = (await call('GET', url('practice_area=Employment'), coordinator)).json();
    expect(employment).toMatchObject({
      total_cents: 20000,
      rows: [{ key: b.matter.matter_code, count: 1 }],
    });
    // The walled matter's client names nothing to those outside the wall.
    const walledClient = `client_code=${walled.client.client_code}`;
    expect((await call('GET', url(walledClient), coordinator)).json()).toMatchObject({
      total_cents: 0,
      rows: [],
    });
    expect((await call('GET', url(walledClient), member)).json().total_cents).toBe(7000);
  });
});
