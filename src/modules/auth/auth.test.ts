import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecurityConfig } from '../../config/security.js';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildUser, signIn, TEST_PASSWORD } from '../../test/factories.js';

const MINUTE = 60_000;
let t: TestDatabase;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await t.close();
});

async function appWith(security: Partial<SecurityConfig> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ ctx: t.ctx, security });
  apps.push(app);
  return app;
}

function me(app: FastifyInstance, cookie: string) {
  return app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
}

function attempt(app: FastifyInstance, email: string, password: string, ip = '203.0.113.7') {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    remoteAddress: ip,
    payload: { email, password },
  });
}

async function auditActions(email: string) {
  const rows = await t.db
    .selectFrom('audit_event')
    .select(['action'])
    .where('action', 'like', 'user.sign_in%')
    .where(sql`after->>'email'`, '=', email)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.action);
}

describe('sessions', () => {
  it('opens a new session at every sign-in and ends the one the browser still sent', async () => {
    const app = await appWith();
    const user = await buildUser(t.db, { roles: ['legal_ops'] });
    const first = await signIn(app, user.email);
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers: { cookie: first },
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    expect(again.statusCode).toBe(200);
    const second = `matterflow_session=${again.cookies.find((c) => c.name === 'matterflow_session')?.value}`;
    expect(second).not.toBe(first);
    expect((await me(app, first)).statusCode).toBe(401);
    expect((await me(app, second)).statusCode).toBe(200);
  });

  it('ends the session at sign-out, and every session of a user whose password changes', async () => {
    const app = await appWith();
    const admin = await signIn(app, (await buildUser(t.db, { roles: ['admin'] })).email);
    const user = await buildUser(t.db, { roles: ['approver'] });
    const out = await signIn(app, user.email);
    const signOut = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: { cookie: out },
    });
    expect(signOut.statusCode).toBe(204);
    expect((await me(app, out)).statusCode).toBe(401);

    const laptop = await signIn(app, user.email);
    const phone = await signIn(app, user.email);
    const changed = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${user.id}/password`,
      headers: { cookie: admin },
      payload: { password: 'an entirely new passphrase' },
    });
    expect(changed.statusCode).toBeLessThan(300);
    expect((await me(app, laptop)).statusCode).toBe(401);
    expect((await me(app, phone)).statusCode).toBe(401);
  });

  it('ends a session after the idle timeout, and keeps a busy one alive until then', async () => {
    const app = await appWith({ sessionIdleMs: 30 * MINUTE, sessionAbsoluteMs: 600 * MINUTE });
    const cookie = await signIn(app, (await buildUser(t.db)).email);
    t.clock.advance(29 * MINUTE);
    expect((await me(app, cookie)).statusCode).toBe(200);
    t.clock.advance(29 * MINUTE);
    expect((await me(app, cookie)).statusCode).toBe(200);
    t.clock.advance(30 * MINUTE + 1);
    expect((await me(app, cookie)).statusCode).toBe(401);
  });

  it('ends a session at its absolute lifetime however busy it is', async () => {
    const app = await appWith({ sessionIdleMs: 30 * MINUTE, sessionAbsoluteMs: 120 * MINUTE });
    const cookie = await signIn(app, (await buildUser(t.db)).email);
    for (let elapsed = 20; elapsed < 120; elapsed += 20) {
      t.clock.advance(20 * MINUTE);
      expect((await me(app, cookie)).statusCode).toBe(200);
    }
    t.clock.advance(20 * MINUTE);
    expect((await me(app, cookie)).statusCode).toBe(401);
  });
});

describe('sign-in lockout', () => {
  const security = {
    loginMaxFailuresPerAccount: 3,
    loginMaxFailuresPerIp: 5,
    loginWindowMs: 10 * MINUTE,
    loginLockoutMs: 15 * MINUTE,
  };

  it('locks an email address after repeated failures, even for the right password, then lets it in again', async () => {
    const app = await appWith(security);
    const user = await buildUser(t.db, { roles: ['legal_ops'] });
    for (let i = 0; i < 3; i += 1) {
      const wrong = await attempt(app, user.email, 'not the password', `198.51.100.${i}`);
      expect(wrong.statusCode).toBe(401);
    }
    const locked = await attempt(app, user.email, TEST_PASSWORD, '198.51.100.99');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'SIGN_IN_LOCKED' });
    expect(await auditActions(user.email)).toEqual([
      'user.sign_in_failed',
      'user.sign_in_failed',
      'user.sign_in_failed',
      'user.sign_in_locked',
    ]);
    t.clock.advance(15 * MINUTE);
    expect((await attempt(app, user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('locks an IP address that tries many accounts, and only that address', async () => {
    const app = await appWith(security);
    const user = await buildUser(t.db, { roles: ['legal_ops'] });
    for (let i = 0; i < 5; i += 1) {
      const wrong = await attempt(app, `guess${i}@firm.test`, 'password1', '192.0.2.50');
      expect(wrong.statusCode).toBe(401);
    }
    expect((await attempt(app, user.email, TEST_PASSWORD, '192.0.2.50')).statusCode).toBe(429);
    expect((await attempt(app, user.email, TEST_PASSWORD, '192.0.2.51')).statusCode).toBe(200);
  });

  it('answers an unknown email exactly like a wrong password, so accounts cannot be discovered', async () => {
    const app = await appWith(security);
    const user = await buildUser(t.db);
    const unknown = await attempt(app, 'nobody-here@firm.test', 'whatever', '192.0.2.77');
    const wrong = await attempt(app, user.email, 'whatever', '192.0.2.78');
    expect(unknown.statusCode).toBe(wrong.statusCode);
    expect(unknown.json()).toEqual(wrong.json());
  });
});

describe('API token scopes', () => {
  async function tokenWith(app: FastifyInstance, cookie: string, scopes: string[]) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: { cookie },
      payload: { name: scopes.join('+'), scopes },
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: number; token: string }>();
  }

  function call(
    app: FastifyInstance,
    token: string,
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
  ) {
    return app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });
  }

  it('lets each token do only what its scopes name (403 TOKEN_SCOPE_MISSING otherwise)', async () => {
    const app = await appWith();
    const cookie = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
    const client = { client_code: 'SCOPE1', name: 'Scope Client', currency: 'USD' };
    const read = await tokenWith(app, cookie, ['read']);
    expect((await call(app, read.token, 'GET', '/api/v1/clients')).statusCode).toBe(200);
    const refused = await call(app, read.token, 'POST', '/api/v1/clients', client);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('TOKEN_SCOPE_MISSING');
    expect((await call(app, read.token, 'GET', '/api/v1/guidelines/export')).statusCode).toBe(403);

    const write = await tokenWith(app, cookie, ['write']);
    expect((await call(app, write.token, 'POST', '/api/v1/clients', client)).statusCode).toBe(201);
    expect((await call(app, write.token, 'GET', '/api/v1/clients')).statusCode).toBe(403);
    const newToken = await call(app, write.token, 'POST', '/api/v1/api-tokens', {
      name: 'escalate',
      scopes: ['admin'],
    });
    expect(newToken.statusCode).toBe(403);

    const admin = await tokenWith(app, cookie, ['admin']);
    expect((await call(app, admin.token, 'GET', '/api/v1/clients')).statusCode).toBe(200);
  });

  it('refuses a token after it expires or is revoked', async () => {
    const app = await appWith();
    const cookie = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
    const expiring = await app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: { cookie },
      payload: {
        name: 'short',
        scopes: ['read'],
        expires_at: new Date(t.clock.now().getTime() + 60 * MINUTE).toISOString(),
      },
    });
    const short = expiring.json<{ token: string }>().token;
    expect((await call(app, short, 'GET', '/api/v1/clients')).statusCode).toBe(200);
    t.clock.advance(60 * MINUTE);
    expect((await call(app, short, 'GET', '/api/v1/clients')).statusCode).toBe(401);

    const revoked = await tokenWith(app, cookie, ['read']);
    const revoke = await app.inject({
      method: 'POST',
      url: `/api/v1/api-tokens/${revoked.id}/revoke`,
      headers: { cookie },
    });
    expect(revoke.statusCode).toBe(204);
    expect((await call(app, revoked.token, 'GET', '/api/v1/clients')).statusCode).toBe(401);
  });
});
