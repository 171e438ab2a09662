import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildMatter, buildTimekeeper, buildUser, signIn } from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let cookie: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  cookie = await signIn(app, (await buildUser(t.db, { roles: ['billing_coordinator'] })).email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function call(method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object, as = cookie) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie: as }, payload });
}

describe('matter timekeepers API', () => {
  it('approves timekeepers on a matter, with and without an approved rate, and lists them', async () => {
    const matter = await buildMatter(t.db);
    const a = await buildTimekeeper(t.db, { timekeeper_code: 'MT-A' });
    await buildTimekeeper(t.db, { timekeeper_code: 'MT-B' });
    const first = await call('PUT', `/matters/${matter.id}/timekeepers/MT-A`, {
      approved_rate: '410.00',
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      matter_id: matter.id,
      timekeeper_id: a.id,
      timekeeper_code: 'MT-A',
      approved_rate: '410.00',
      version: 1,
    });
    expect((await call('PUT', `/matters/${matter.id}/timekeepers/MT-B`, {})).statusCode).toBe(201);
    const listed = await call('GET', `/matters/${matter.id}/timekeepers`);
    expect(
      listed
        .json()
        .items.map((i: { timekeeper_code: string; approved_rate: string | null }) => [
          i.timekeeper_code,
          i.approved_rate,
        ]),
    ).toEqual([
      ['MT-A', '410.00'],
      ['MT-B', null],
    ]);
    const row = await t.db
      .selectFrom('matter_timekeeper')
      .select('approved_rate_cents')
      .where('matter_id', '=', matter.id)
      .where('timekeeper_id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row.approved_rate_cents).toBe(41000);
  });

  it('changes an approved rate only with the current version', async () => {
    const matter = await buildMatter(t.db);
    const timekeeper = await buildTimekeeper(t.db);
    const url = `/matters/${matter.id}/timekeepers/${timekeeper.timekeeper_code}`;
    await call('PUT', url, { approved_rate: '300' });
    const noVersion = await call('PUT', url, { approved_rate: '350' });
    expect(noVersion.statusCode).toBe(409);
    expect(noVersion.json().code).toBe('STALE_VERSION');
    const updated = await call('PUT', url, { approved_rate: '350', version: 1 });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ approved_rate: '350.00', version: 2 });
    const stale = await call('PUT', url, { approved_rate: null, version: 1 });
    expect(stale.statusCode).toBe(409);
  });

  it('withdraws an approval', async () => {
    const matter = await buildMatter(t.db);
    const timekeeper = await buildTimekeeper(t.db);
    const url = `/matters/${matter.id}/timekeepers/${timekeeper.timekeeper_code}`;
    await call('PUT', url, {});
    expect((await call('DELETE', url)).statusCode).toBe(204);
    expect((await call('DELETE', url)).statusCode).toBe(404);
    const rows = await t.db
      .selectFrom('matter_timekeeper')
      .selectAll()
      .where('matter_id', '=', matter.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('answers 400 naming a bad rate and 404 for an unknown timekeeper', async () => {
    const matter = await buildMatter(t.db);
    const bad = await call('PUT', `/matters/${matter.id}/timekeepers/MT-A`, {
      approved_rate: '4.105',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.issues[0].field).toBe('body.approved_rate');
    const unknown = await call('PUT', `/matters/${matter.id}/timekeepers/NOBODY`, {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('TIMEKEEPER_NOT_FOUND');
  });

  it('hides a walled matter’s timekeepers from non-members and lets timekeepers only read', async () => {
    const walled = await buildMatter(t.db, { restricted: true });
    expect((await call('GET', `/matters/${walled.id}/timekeepers`)).statusCode).toBe(404);
    expect((await call('PUT', `/matters/${walled.id}/timekeepers/MT-A`, {})).statusCode).toBe(404);

    const timekeeper = await buildTimekeeper(t.db);
    const user = await buildUser(t.db, { roles: ['timekeeper'], timekeeper_id: timekeeper.id });
    const tkCookie = await signIn(app, user.email);
    const matter = await buildMatter(t.db);
    await call('PUT', `/matters/${matter.id}/timekeepers/${timekeeper.timekeeper_code}`, {});
    const listed = await call('GET', `/matters/${matter.id}/timekeepers`, undefined, tkCookie);
    expect(listed.statusCode).toBe(200);
    const change = await call(
      'PUT',
      `/matters/${matter.id}/timekeepers/${timekeeper.timekeeper_code}`,
      { approved_rate: '999', version: 1 },
      tkCookie,
    );
    expect(change.statusCode).toBe(403);
  });
});
