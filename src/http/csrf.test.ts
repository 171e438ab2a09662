import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, TEST_PASSWORD } from '../test/factories.js';
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

/** Signs in by hand, so nothing adds the CSRF header for us. */
async function session(secure = false) {
  const target = secure ? await buildApp({ ctx: t.ctx, security: { secureCookies: true } }) : app;
  const user = await buildUser(t.db, { roles: ['legal_ops'] });
  const response = await target.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { email: user.email, password: TEST_PASSWORD },
  });
  expect(response.statusCode).toBe(200);
  const setCookie = String(response.headers['set-cookie']);
  const cookie = setCookie.split(';')[0] ?? '';
  const csrf = response.json<{ csrf_token: string }>().csrf_token;
  if (secure) await target.close();
  return { cookie, csrf, setCookie, user };
}

function createClient(headers: Record<string, string>, code: string) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/clients',
    headers,
    payload: {
      client_code: code,
      name: `Client ${code}`,
      currency: 'USD',
      ebilling_format: 'none',
    },
  });
}

describe('CSRF protection for cookie sessions', () => {
  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/ (Secure when configured)', async () => {
    const plain = await session();
    expect(plain.setCookie).toMatch(/HttpOnly/);
    expect(plain.setCookie).toMatch(/SameSite=Lax/);
    expect(plain.setCookie).toMatch(/Path=\//);
    expect(plain.setCookie).not.toMatch(/Secure/);
    const secure = await session(true);
    expect(secure.setCookie).toMatch(/; Secure/);
  });

  it('returns the token at sign-in and from GET /auth/me', async () => {
    const { cookie, csrf } = await session();
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie).not.toContain(csrf);
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json().csrf_token).toBe(csrf);
  });

  it('refuses a write without the header or with another session’s token (403 csrf_token_invalid)', async () => {
    const mine = await session();
    const theirs = await session();
    for (const headers of <Record<string, string>[]>[
      { cookie: mine.cookie },
      { cookie: mine.cookie, 'x-csrf-token': theirs.csrf },
      { cookie: mine.cookie, 'x-csrf-token': '' },
    ]) {
      const response = await createClient(headers, 'CSRF1');
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('csrf_token_invalid');
    }
    const rows = await t.db.selectFrom('client').where('client_code', '=', 'CSRF1').execute();
    expect(rows).toEqual([]);
    const signOut = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: { cookie: mine.cookie },
    });
    expect(signOut.statusCode).toBe(403);
  });

  it('accepts a write with the session’s token, and reads without one', async () => {
    const { cookie, csrf } = await session();
    const created = await createClient({ cookie, 'x-csrf-token': csrf }, 'CSRF2');
    expect(created.statusCode).toBe(201);
    const read = await app.inject({ method: 'GET', url: '/api/v1/clients', headers: { cookie } });
    expect(read.statusCode).toBe(200);
  });

  it('does not ask API tokens for it', async () => {
    const { cookie, csrf } = await session();
    const token = await app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { name: 'bulk', scopes: ['write'] },
    });
    expect(token.statusCode).toBe(201);
    const created = await createClient(
      { authorization: `Bearer ${token.json<{ token: string }>().token}` },
      'CSRF3',
    );
    expect(created.statusCode).toBe(201);
    const me = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${token.json<{ token: string }>().token}` },
    });
    expect(me.json().csrf_token).toBeUndefined();
  });
});
