import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildTimekeeper, buildUser, signIn } from '../../test/factories.js';

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

describe('timekeepers API', () => {
  it('creates a timekeeper with a standard rate as a decimal string', async () => {
    const response = await call('POST', '/timekeepers', {
      timekeeper_code: 'JDOE',
      first_name: 'Jane',
      last_name: 'Doe',
      classification: 'PT',
      standard_rate: '795.5',
      practice_group: 'Litigation',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      timekeeper_code: 'JDOE',
      standard_rate: '795.50',
      currency: 'USD',
      version: 1,
    });
    const row = await t.db
      .selectFrom('timekeeper')
      .select('standard_rate_cents')
      .where('timekeeper_code', '=', 'JDOE')
      .executeTakeFirstOrThrow();
    expect(row.standard_rate_cents).toBe(79550);
  });

  it('answers 400 naming bad fields and 409 for a duplicate code', async () => {
    const bad = await call('POST', '/timekeepers', {
      timekeeper_code: 'J DOE',
      first_name: '',
      last_name: 'Doe',
      classification: 'XX',
      standard_rate: '1.005',
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.timekeeper_code',
        'body.first_name',
        'body.classification',
        'body.standard_rate',
      ]),
    );
    await buildTimekeeper(t.db, { timekeeper_code: 'DUP' });
    const duplicate = await call('POST', '/timekeepers', {
      timekeeper_code: 'DUP',
      first_name: 'A',
      last_name: 'B',
      classification: 'AS',
    });
    expect(duplicate.statusCode).toBe(409);
  });

  it('lists with filters and cursor pagination', async () => {
    for (let i = 0; i < 3; i++)
      await buildTimekeeper(t.db, { classification: 'PL', practice_group: 'Tax' });
    await buildTimekeeper(t.db, { classification: 'AS', practice_group: 'Tax' });
    const first = await call('GET', '/timekeepers?classification=PL&practice_group=Tax&limit=2');
    expect(first.json().items).toHaveLength(2);
    const second = await call(
      'GET',
      `/timekeepers?classification=PL&practice_group=Tax&limit=2&cursor=${first.json().next_cursor}`,
    );
    expect(second.json().items).toHaveLength(1);
    expect(second.json().next_cursor).toBeNull();
  });

  it('updates with the current version, refuses a stale one and deactivates', async () => {
    const timekeeper = await buildTimekeeper(t.db);
    const updated = await call('PATCH', `/timekeepers/${timekeeper.id}`, {
      version: 1,
      standard_rate: null,
      last_name: 'Renamed',
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ standard_rate: null, last_name: 'Renamed', version: 2 });
    const stale = await call('PATCH', `/timekeepers/${timekeeper.id}`, {
      version: 1,
      last_name: 'X',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');
    const deactivated = await call('POST', `/timekeepers/${timekeeper.id}/deactivate`, {
      version: 2,
    });
    expect(deactivated.json()).toMatchObject({ active: false, version: 3 });
  });

  it('lets timekeepers read but not change the roster', async () => {
    const user = await buildUser(t.db, { roles: ['timekeeper'] });
    const tkCookie = await signIn(app, user.email);
    expect((await call('GET', '/timekeepers', undefined, tkCookie)).statusCode).toBe(200);
    const timekeeper = await buildTimekeeper(t.db);
    const change = await call(
      'POST',
      `/timekeepers/${timekeeper.id}/deactivate`,
      { version: 1 },
      tkCookie,
    );
    expect(change.statusCode).toBe(403);
  });
});
