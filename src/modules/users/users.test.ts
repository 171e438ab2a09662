import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildTimekeeper, buildUser, signIn } from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let admin: Awaited<ReturnType<typeof buildUser>>;
let cookie: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  admin = await buildUser(t.db, { roles: ['admin'] });
  cookie = await signIn(app, admin.email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function call(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, as = cookie) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie: as }, payload });
}

describe('users API', () => {
  it('creates a user linked to a timekeeper who can then sign in, never returning the hash', async () => {
    const timekeeper = await buildTimekeeper(t.db, { timekeeper_code: 'U-TK1' });
    const response = await call('POST', '/users', {
      email: 'new.associate@firm.test',
      name: 'New Associate',
      roles: ['timekeeper', 'timekeeper'],
      timekeeper_code: 'U-TK1',
      password: 'a long enough password',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      email: 'new.associate@firm.test',
      roles: ['timekeeper'],
      timekeeper_id: timekeeper.id,
      timekeeper_code: 'U-TK1',
      has_password: true,
      version: 1,
    });
    expect(JSON.stringify(body)).not.toContain('scrypt');
    expect(body).not.toHaveProperty('password_hash');
    await signIn(app, 'new.associate@firm.test', 'a long enough password');
  });

  it('answers 400 naming a weak password, an unknown timekeeper and bad fields', async () => {
    const response = await call('POST', '/users', {
      email: 'x@firm.test',
      name: 'X',
      roles: ['approver'],
      timekeeper_code: 'NOBODY',
      password: 'short',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().details.issues.map((i: { field: string }) => i.field)).toEqual([
      'password',
      'timekeeper_code',
    ]);
    const malformed = await call('POST', '/users', { email: 'nope', name: 'X', roles: ['boss'] });
    expect(malformed.statusCode).toBe(400);
    const fields = malformed.json().details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['body.email', 'body.roles.0']));
  });

  it('answers 409 for a second user with the same email in another case', async () => {
    await buildUser(t.db, { email: 'taken@firm.test' });
    const response = await call('POST', '/users', {
      email: 'TAKEN@firm.test',
      name: 'Again',
      roles: ['approver'],
    });
    expect(response.statusCode).toBe(409);
  });

  it('lists with filters and cursor pagination', async () => {
    for (let i = 0; i < 3; i++)
      await buildUser(t.db, { roles: ['approver', 'billing_coordinator'], name: `Pager ${i}` });
    await buildUser(t.db, { roles: ['timekeeper'], name: 'Pager timekeeper' });
    const first = await call('GET', '/users?q=pager&role=approver&limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.json().items).toHaveLength(2);
    const second = await call(
      'GET',
      `/users?q=pager&role=approver&limit=2&cursor=${first.json().next_cursor}`,
    );
    expect(second.json().items.map((u: { name: string }) => u.name)).toEqual(['Pager 2']);
    expect(second.json().next_cursor).toBeNull();
  });

  it('updates with the current version, refuses a stale one and deactivates', async () => {
    const user = await buildUser(t.db, { roles: ['approver'] });
    const updated = await call('PATCH', `/users/${user.id}`, {
      version: 1,
      roles: ['approver', 'billing_coordinator'],
      name: 'Renamed',
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      roles: ['approver', 'billing_coordinator'],
      name: 'Renamed',
      version: 2,
    });
    const stale = await call('PATCH', `/users/${user.id}`, { version: 1, name: 'Y' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');
    const deactivated = await call('POST', `/users/${user.id}/deactivate`, { version: 2 });
    expect(deactivated.json()).toMatchObject({ active: false, version: 3 });
    const row = await t.db
      .selectFrom('app_user')
      .select('active')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.active).toBe(false);
  });

  it('refuses to let an admin deactivate or demote themselves', async () => {
    const response = await call('PATCH', `/users/${admin.id}`, {
      version: 1,
      roles: ['legal_ops'],
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('CANNOT_LOCK_OUT_SELF');
  });

  it('sets a password, enforcing the rules, and ends the user’s sessions', async () => {
    const user = await buildUser(t.db, { roles: ['approver'] });
    const theirCookie = await signIn(app, user.email);
    const weak = await call('POST', `/users/${user.id}/password`, { password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().details.issues[0].field).toBe('password');
    const set = await call('POST', `/users/${user.id}/password`, {
      password: 'brand new passphrase',
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).not.toHaveProperty('password_hash');
    expect((await call('GET', '/matters', undefined, theirCookie)).statusCode).toBe(401);
    await signIn(app, user.email, 'brand new passphrase');
  });

  it('is managed by admins only', async () => {
    const ops = await buildUser(t.db, { roles: ['legal_ops'] });
    const opsCookie = await signIn(app, ops.email);
    expect((await call('GET', '/users', undefined, opsCookie)).statusCode).toBe(200);
    const create = await call(
      'POST',
      '/users',
      { email: 'y@firm.test', name: 'Y', roles: ['admin'] },
      opsCookie,
    );
    expect(create.statusCode).toBe(403);
    const password = await call(
      'POST',
      `/users/${ops.id}/password`,
      { password: 'x'.repeat(12) },
      opsCookie,
    );
    expect(password.statusCode).toBe(403);
  });
});
