import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  addMatterMember,
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  coordinator = await signIn(
    app,
    (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
  );
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function call(method: 'GET' | 'POST', url: string, cookie: string, payload?: object) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
}

async function clientWithWork(restricted = false) {
  const client = await buildClient(t.db);
  const matter = await buildMatter(t.db, { client_id: client.id, restricted });
  const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
  await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
  await buildReleasedEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
  return { client, matter, timekeeper };
}

describe('the invoices API', () => {
  it('runs a bill run and shows the draft with its lines', async () => {
    const { client, matter } = await clientWithWork();
    const run = await call('POST', '/bill-runs', coordinator, {
      period: '2026-10',
      client_code: client.client_code,
    });
    expect(run.statusCode).toBe(200);
    const report = run.json();
    expect(report).toMatchObject({ created: 1, entries_billed: 1, skipped: [] });
    expect(report.invoices[0]).toMatchObject({
      matter_code: matter.matter_code,
      total_cents: 60000,
      state: 'draft',
    });

    const list = await call(
      'GET',
      `/invoices?client_code=${client.client_code}&period=2026-10&state=draft`,
      coordinator,
    );
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);

    const detail = await call('GET', `/invoices/${report.invoices[0].id}`, coordinator);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      invoice_number: report.invoices[0].invoice_number,
      total_cents: 60000,
      lines: [{ line_type: 'F', units: '1.50', unit_cost_cents: 40000, amount_cents: 60000 }],
      adjustments: [],
    });
  });

  it('refuses a bad period with the field named', async () => {
    const response = await call('POST', '/bill-runs', coordinator, { period: '2026-13' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('period');
  });

  it('leaves a walled matter out of a non-member’s bill run, and names it as unknown', async () => {
    const { client, matter } = await clientWithWork(true);
    const run = await call('POST', '/bill-runs', coordinator, {
      period: '2026-10',
      client_code: client.client_code,
    });
    expect(run.json()).toMatchObject({ created: 0, entries_billed: 0, invoices: [] });
    const named = await call('POST', '/bill-runs', coordinator, {
      period: '2026-10',
      matter_code: matter.matter_code,
    });
    expect(named.statusCode).toBe(404);
    expect(named.json().code).toBe('MATTER_NOT_FOUND');
    expect(
      await t.db.selectFrom('invoice').select('id').where('matter_id', '=', matter.id).execute(),
    ).toEqual([]);
  });

  it('hides a walled matter’s invoice from non-members (404) and shows it to members', async () => {
    const { client, matter } = await clientWithWork(true);
    const admin = await buildUser(t.db, { roles: ['admin'] });
    await addMatterMember(t.db, matter.id, admin.id);
    const adminCookie = await signIn(app, admin.email);
    const report = (
      await call('POST', '/bill-runs', adminCookie, {
        period: '2026-10',
        client_code: client.client_code,
      })
    ).json();
    const id = report.invoices[0].id;

    expect((await call('GET', `/invoices/${id}`, coordinator)).statusCode).toBe(404);
    const hidden = await call('GET', `/invoices?client_code=${client.client_code}`, coordinator);
    expect(hidden.json().items).toEqual([]);
    expect((await call('GET', `/invoices/${id}`, adminCookie)).statusCode).toBe(200);
  });

  it('keeps timekeepers out of invoices and bill runs', async () => {
    const tk = await buildTimekeeper(t.db);
    const user = await buildUser(t.db, { roles: ['timekeeper'], timekeeper_id: tk.id });
    const cookie = await signIn(app, user.email);
    expect((await call('GET', '/invoices', cookie)).statusCode).toBe(403);
    expect((await call('POST', '/bill-runs', cookie, { period: '2026-10' })).statusCode).toBe(403);
  });

  it('revalues a draft after a rate change', async () => {
    const { client, matter, timekeeper } = await clientWithWork();
    await call('POST', '/bill-runs', coordinator, {
      period: '2026-10',
      client_code: client.client_code,
    });
    await buildRate(t.db, {
      timekeeper_id: timekeeper.id,
      matter_id: matter.id,
      rate_cents: 30000,
    });
    const report = (
      await call('POST', '/bill-runs', coordinator, {
        period: '2026-10',
        client_code: client.client_code,
      })
    ).json();
    const id = report.invoices[0].id;
    const flagged = (await call('GET', `/invoices/${id}`, coordinator)).json();
    expect(flagged.needs_revaluation).toBe(true);

    const revalued = await call('POST', `/invoices/${id}/revalue`, coordinator, {
      version: flagged.version,
    });
    expect(revalued.statusCode).toBe(200);
    expect(revalued.json()).toMatchObject({
      needs_revaluation: false,
      total_cents: 45000,
      version: flagged.version + 1,
    });
    const stale = await call('POST', `/invoices/${id}/revalue`, coordinator, {
      version: flagged.version,
    });
    expect(stale.statusCode).toBe(409);
  });
});
