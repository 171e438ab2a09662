import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import {
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';
import { checkReadiness } from '../ebilling/readiness.js';

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

async function move(id: number, cookie: string, to: string, extra: object = {}) {
  const { version } = (await call('GET', `/invoices/${id}`, cookie)).json();
  return call('POST', `/invoices/${id}/transitions`, cookie, { to, version, ...extra });
}

/** An October invoice of a client on LEDES, ready for its responsible attorney's approval. */
async function readyForApproval() {
  const client = await buildClient(t.db, {
    ebilling_format: 'LEDES1998B',
    ebilling_client_id: 'PORTAL-1',
    law_firm_id: '12-3456789',
  });
  const attorney = await buildTimekeeper(t.db, { classification: 'PT' });
  const approverUser = await buildUser(t.db, { roles: ['approver'], timekeeper_id: attorney.id });
  const matter = await buildMatter(t.db, {
    client_id: client.id,
    responsible_attorney_id: attorney.id,
    client_matter_id: 'CLM-1',
  });
  const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
  await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
  await buildReleasedEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
  const run = await call('POST', '/bill-runs', coordinator, {
    period: '2026-10',
    matter_code: matter.matter_code,
  });
  expect(run.statusCode).toBe(200);
  const id: number = run.json().invoices[0].id;
  expect((await move(id, coordinator, 'in_review')).statusCode).toBe(200);
  expect((await move(id, coordinator, 'ready_for_approval')).statusCode).toBe(200);
  return { id, approver: await signIn(app, approverUser.email) };
}

/** INVOICE_DATE of the would-be LEDES file. */
async function ledesInvoiceDate(id: number): Promise<string> {
  const { file } = await checkReadiness(t.db, id);
  return file!.text.split('\r\n')[2]!.split('|')[0]!;
}

const storedDate = async (id: number) =>
  (
    await t.db
      .selectFrom('invoice')
      .select('invoice_date')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).invoice_date;

describe('the invoice date', () => {
  it('is set to the day of approval, and LEDES writes it as INVOICE_DATE', async () => {
    const { id, approver } = await readyForApproval();
    expect(await storedDate(id)).toBeNull();
    // Until it has a date of its own, a preview uses the period's last day.
    expect(await ledesInvoiceDate(id)).toBe('20261031');

    const approved = await move(id, approver, 'approved');
    expect(approved.statusCode).toBe(200);
    // The test clock stands at 2026-11-02 (UTC, the firm's zone by default).
    expect(approved.json()).toMatchObject({ state: 'approved', invoice_date: '2026-11-02' });
    expect(await storedDate(id)).toBe('2026-11-02');
    expect(await ledesInvoiceDate(id)).toBe('20261102');
  });

  it('takes a date given with the approval, never one before the billing period ends', async () => {
    const { id, approver } = await readyForApproval();
    const early = await move(id, approver, 'approved', { invoice_date: '2026-10-15' });
    expect(early.statusCode).toBe(400);
    expect(early.json()).toMatchObject({
      code: 'INVOICE_DATE_INVALID',
      details: { issues: [{ field: 'invoice_date' }] },
    });
    expect(await storedDate(id)).toBeNull();
    expect((await call('GET', `/invoices/${id}`, coordinator)).json().state).toBe(
      'ready_for_approval',
    );

    const impossible = await move(id, approver, 'approved', { invoice_date: '2026-11-31' });
    expect(impossible.statusCode).toBe(400);

    const given = await move(id, approver, 'approved', { invoice_date: '2026-10-31' });
    expect(given.statusCode).toBe(200);
    expect(await storedDate(id)).toBe('2026-10-31');
    expect(await ledesInvoiceDate(id)).toBe('20261031');
  });

  it('is refused with any move other than an approval', async () => {
    const client = await buildClient(t.db);
    const matter = await buildMatter(t.db, { client_id: client.id });
    const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: 30000 });
    await buildReleasedEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
    const run = await call('POST', '/bill-runs', coordinator, {
      period: '2026-10',
      matter_code: matter.matter_code,
    });
    const id: number = run.json().invoices[0].id;
    const response = await move(id, coordinator, 'in_review', { invoice_date: '2026-11-05' });
    expect(response.statusCode).toBe(400);
    expect(await storedDate(id)).toBeNull();
  });
});
