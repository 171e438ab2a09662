import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient, buildUser, signIn } from '../test/factories.js';
import type { TestDatabase } from '../test/database.js';
import { openTestDatabase } from '../test/database.js';
import { buildApp } from './app.js';

let t: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
});
afterAll(async () => {
  await app.close();
  await t.close();
});

describe('authentication', () => {
  it('answers 401 with an error body when no credentials are sent', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/clients' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('signs in with the right password and serves the session', async () => {
    const user = await buildUser(t.db, { roles: ['legal_ops'] });
    await buildClient(t.db, { name: 'Acme Insurance' });
    const cookie = await signIn(app, user.email.toUpperCase());
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/clients?q=acme',
      headers: { cookie },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().items.map((c: { name: string }) => c.name)).toEqual(['Acme Insurance']);
  });

  it('refuses a wrong password and a deactivated user alike', async () => {
    const user = await buildUser(t.db);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: user.email, password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
    const disabled = await buildUser(t.db, { active: false });
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: disabled.email, password: 'correct horse battery staple' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('ends the session at sign-out', async () => {
    const user = await buildUser(t.db);
    const cookie = await signIn(app, user.email);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie } }))
        .statusCode,
    ).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode,
    ).toBe(401);
  });

  it('expires an idle session', async () => {
    const user = await buildUser(t.db);
    const cookie = await signIn(app, user.email);
    t.clock.advance(13 * 60 * 60 * 1000);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode,
    ).toBe(401);
  });

  it('accepts an API token, shown once and stored hashed, until it is revoked', async () => {
    const user = await buildUser(t.db, { roles: ['billing_coordinator'] });
    const cookie = await signIn(app, user.email);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: { cookie },
      payload: { name: 'portal sync', scopes: ['read'] },
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    const stored = await t.db
      .selectFrom('api_token')
      .select('token_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    const authorization = `Bearer ${token}`;
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/clients', headers: { authorization } }))
        .statusCode,
    ).toBe(200);
    const write = await app.inject({
      method: 'POST',
      url: '/api/v1/clients',
      headers: { authorization },
      payload: { client_code: 'X1', name: 'X', currency: 'USD' },
    });
    expect(write.statusCode).toBe(403);
    await app.inject({
      method: 'POST',
      url: `/api/v1/api-tokens/${id}/revoke`,
      headers: { cookie },
    });
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/clients', headers: { authorization } }))
        .statusCode,
    ).toBe(401);
  });
});

describe('errors and the API description', () => {
  it('serves an OpenAPI 3.1 document listing every route', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/clients/{id}');
  });

  it('answers a bad body with 400 naming the field', async () => {
    const user = await buildUser(t.db, { roles: ['admin'] });
    const cookie = await signIn(app, user.email);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/clients',
      headers: { cookie },
      payload: { client_code: 'has space', name: 'X', currency: 'usd' },
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['body.client_code', 'body.currency']));
  });
});
