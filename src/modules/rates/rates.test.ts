import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  buildClient,
  buildMatter,
  buildRate,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let cookie: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  cookie = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function call(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, as = cookie) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie: as }, payload });
}

describe('rates API', () => {
  it('creates default, client and matter rates, taking a matter rate’s client from the matter', async () => {
    const timekeeper = await buildTimekeeper(t.db, { timekeeper_code: 'R-TK1' });
    const client = await buildClient(t.db, { client_code: 'R-C1', currency: 'EUR' });
    const matter = await buildMatter(t.db, { matter_code: 'R-M1', client_id: client.id });

    const byDefault = await call('POST', '/rates', {
      timekeeper_code: 'R-TK1',
      rate: '450',
      effective_from: '2026-01-01',
    });
    expect(byDefault.statusCode).toBe(201);
    expect(byDefault.json()).toMatchObject({
      scope: 'default',
      rate: '450.00',
      currency: 'USD',
      timekeeper_id: timekeeper.id,
      client_id: null,
      matter_id: null,
    });

    const forMatter = await call('POST', '/rates', {
      timekeeper_code: 'R-TK1',
      matter_code: 'R-M1',
      rate: '395.50',
      effective_from: '2026-01-01',
      effective_to: '2026-12-31',
    });
    expect(forMatter.statusCode).toBe(201);
    expect(forMatter.json()).toMatchObject({
      scope: 'matter',
      client_id: client.id,
      client_code: 'R-C1',
      matter_id: matter.id,
      matter_code: 'R-M1',
      currency: 'EUR',
    });
    const row = await t.db
      .selectFrom('rate')
      .select(['rate_cents', 'client_id'])
      .where('id', '=', forMatter.json().id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ rate_cents: 39550, client_id: client.id });
  });

  it('answers 400 naming unknown codes, a client that is not the matter’s and backwards dates', async () => {
    const other = await buildClient(t.db, { client_code: 'R-OTHER' });
    await buildMatter(t.db, { matter_code: 'R-M2' });
    const response = await call('POST', '/rates', {
      timekeeper_code: 'NOBODY',
      client_code: other.client_code,
      matter_code: 'R-M2',
      rate: '100',
      effective_from: '2026-05-01',
      effective_to: '2026-04-30',
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(['timekeeper_code', 'client_code', 'effective_to']);
    const malformed = await call('POST', '/rates', {
      timekeeper_code: 'R-TK1',
      rate: '-5',
      effective_from: 'soon',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().details.issues.map((i: { field: string }) => i.field)).toEqual([
      'body.rate',
      'body.effective_from',
    ]);
  });

  it('refuses an overlapping active rate in the same scope with 409 naming it', async () => {
    const timekeeper = await buildTimekeeper(t.db);
    const existing = await buildRate(t.db, {
      timekeeper_id: timekeeper.id,
      effective_from: '2026-01-01',
      effective_to: '2026-06-30',
    });
    const overlapping = await call('POST', '/rates', {
      timekeeper_code: timekeeper.timekeeper_code,
      rate: '500',
      effective_from: '2026-06-30',
    });
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json()).toMatchObject({
      code: 'RATE_OVERLAP',
      details: { rate_id: existing.id },
    });
    expect(overlapping.json().message).toContain(`rate ${existing.id}`);
    const after = await call('POST', '/rates', {
      timekeeper_code: timekeeper.timekeeper_code,
      rate: '500',
      effective_from: '2026-07-01',
    });
    expect(after.statusCode).toBe(201);

    const stretched = await call('PATCH', `/rates/${existing.id}`, {
      version: 1,
      effective_to: '2026-07-15',
    });
    expect(stretched.statusCode).toBe(409);
    expect(stretched.json().details.rate_id).toBe(after.json().id);
  });

  it('updates with the current version, refuses a stale one and deactivates', async () => {
    const timekeeper = await buildTimekeeper(t.db);
    const rate = await buildRate(t.db, { timekeeper_id: timekeeper.id });
    const updated = await call('PATCH', `/rates/${rate.id}`, { version: 1, rate: '425.00' });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ rate: '425.00', version: 2 });
    const stale = await call('PATCH', `/rates/${rate.id}`, { version: 1, rate: '1' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');
    const deactivated = await call('POST', `/rates/${rate.id}/deactivate`, { version: 2 });
    expect(deactivated.json()).toMatchObject({ active: false, version: 3 });
    const replacement = await call('POST', '/rates', {
      timekeeper_code: timekeeper.timekeeper_code,
      rate: '500',
      effective_from: '2026-02-01',
    });
    expect(replacement.statusCode).toBe(201);
  });

  it('lists with filters and cursor pagination', async () => {
    const timekeeper = await buildTimekeeper(t.db);
    const client = await buildClient(t.db);
    for (const effective_from of ['2024-01-01', '2025-01-01', '2026-01-01'])
      await buildRate(t.db, {
        timekeeper_id: timekeeper.id,
        client_id: client.id,
        effective_from,
        effective_to: effective_from.replace('-01-01', '-12-31'),
      });
    await buildRate(t.db, { timekeeper_id: timekeeper.id, active: false });
    const base = `/rates?timekeeper_code=${timekeeper.timekeeper_code}&client_code=${client.client_code}&active=true`;
    const first = await call('GET', `${base}&limit=2`);
    expect(first.json().items).toHaveLength(2);
    const second = await call('GET', `${base}&limit=2&cursor=${first.json().next_cursor}`);
    expect(second.json().items.map((r: { effective_from: string }) => r.effective_from)).toEqual([
      '2026-01-01',
    ]);
    expect(second.json().next_cursor).toBeNull();
  });

  it('keeps rates away from timekeepers', async () => {
    const user = await buildUser(t.db, { roles: ['timekeeper'] });
    const response = await call('GET', '/rates', undefined, await signIn(app, user.email));
    expect(response.statusCode).toBe(403);
  });

  it('hides matter rates of a walled matter from non-members', async () => {
    const timekeeper = await buildTimekeeper(t.db);
    const walled = await buildMatter(t.db, { restricted: true });
    const rate = await buildRate(t.db, {
      timekeeper_id: timekeeper.id,
      client_id: walled.client_id,
      matter_id: walled.id,
    });
    expect((await call('GET', `/rates/${rate.id}`)).statusCode).toBe(404);
    const listed = await call('GET', `/rates?timekeeper_code=${timekeeper.timekeeper_code}`);
    expect(listed.json().items).toEqual([]);
    const create = await call('POST', '/rates', {
      timekeeper_code: timekeeper.timekeeper_code,
      matter_code: walled.matter_code,
      rate: '1',
      effective_from: '2020-01-01',
    });
    expect(create.statusCode).toBe(404);
  });
});

describe('rate lookup', () => {
  it('prefers matter over client over default rates, then the standard rate', async () => {
    const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: 30000 });
    const matter = await buildMatter(t.db);
    const other = await buildMatter(t.db, { client_id: matter.client_id });
    const tk = timekeeper.id;
    await buildRate(t.db, { timekeeper_id: tk, rate_cents: 40000, effective_from: '2026-01-01' });
    const clientRate = await buildRate(t.db, {
      timekeeper_id: tk,
      client_id: matter.client_id,
      rate_cents: 38000,
      effective_from: '2026-03-01',
    });
    const matterRate = await buildRate(t.db, {
      timekeeper_id: tk,
      client_id: matter.client_id,
      matter_id: matter.id,
      rate_cents: 35000,
      effective_from: '2026-06-01',
    });
    const lookup = (matterCode: string, date: string) =>
      call(
        'GET',
        `/rates/lookup?timekeeper=${timekeeper.timekeeper_code}&matter=${matterCode}&date=${date}`,
      );

    expect((await lookup(matter.matter_code, '2026-06-01')).json()).toEqual({
      timekeeper_code: timekeeper.timekeeper_code,
      matter_code: matter.matter_code,
      date: '2026-06-01',
      rate: '350.00',
      currency: 'USD',
      scope: 'matter',
      rate_id: matterRate.id,
    });
    expect((await lookup(other.matter_code, '2026-06-01')).json()).toMatchObject({
      scope: 'client',
      rate_id: clientRate.id,
    });
    expect((await lookup(matter.matter_code, '2026-02-01')).json()).toMatchObject({
      scope: 'default',
      rate: '400.00',
    });
    expect((await lookup(matter.matter_code, '2025-12-31')).json()).toMatchObject({
      scope: 'standard',
      rate: '300.00',
      rate_id: null,
    });
  });

  it('answers 404 RATE_NOT_FOUND with a clear message when nothing applies', async () => {
    const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
    const matter = await buildMatter(t.db);
    const response = await call(
      'GET',
      `/rates/lookup?timekeeper=${timekeeper.timekeeper_code}&matter=${matter.matter_code}&date=2026-10-01`,
    );
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('RATE_NOT_FOUND');
    expect(response.json().message).toContain(`timekeeper ${timekeeper.timekeeper_code}`);
    const unknown = await call('GET', '/rates/lookup?timekeeper=NOBODY&matter=X&date=2026-10-01');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().details.issues[0].field).toBe('timekeeper');
  });
});
