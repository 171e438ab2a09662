import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SECURITY, securityFromEnv } from '../config/security.js';
import type { SecurityConfig } from '../config/security.js';
import { buildUser, signIn } from '../test/factories.js';
import type { TestDatabase } from '../test/database.js';
import { openTestDatabase } from '../test/database.js';
import { buildApp } from './app.js';

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

const CSP =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';" +
  "connect-src 'self';object-src 'none';base-uri 'self';frame-ancestors 'none';form-action 'self'";

describe('security headers', () => {
  it('sends the Content-Security-Policy and helmet headers on pages and API responses', async () => {
    const app = await appWith();
    for (const url of ['/', '/api/v1/clients', '/api/openapi.json']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers['content-security-policy']).toBe(CSP);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('sends HSTS only when configured for HTTPS', async () => {
    const app = await appWith({ secureCookies: true });
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  });
});

describe('body size limit', () => {
  it('refuses a body over the configured limit with 413 and a JSON error', async () => {
    const app = await appWith({ bodyLimitBytes: 1024 });
    const cookie = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/clients',
      headers: { cookie },
      payload: { code: 'BIG', name: 'x'.repeat(2000) },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
  });
});

describe('rate limit', () => {
  it('counts each credential on its own and answers 429 past the limit', async () => {
    const app = await appWith({ rateLimitPerMinute: 3 });
    const first = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
    const second = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await app.inject({
        method: 'GET',
        url: '/api/v1/clients',
        headers: { cookie: first },
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) expect(response.json().code).toBe('RATE_LIMITED');
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const other = await app.inject({
      method: 'GET',
      url: '/api/v1/clients',
      headers: { cookie: second },
    });
    expect(other.statusCode).toBe(200);
  });

  it('limits unauthenticated calls (sign-in) per IP address', async () => {
    const app = await appWith({ rateLimitAnonymousPerMinute: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        headers: { authorization: `Bearer mf_made-up-${i}` },
        payload: { email: 'nobody@firm.test', password: 'wrong password' },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([401, 401, 429]);
  });

  it('can be switched off', async () => {
    const app = await appWith({ rateLimitPerMinute: null, rateLimitAnonymousPerMinute: null });
    const cookie = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/clients',
      headers: { cookie },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-ratelimit-limit']).toBeUndefined();
  });
});

describe('error responses', () => {
  it('answers a database failure with 500 and a correlation id, never SQL or a stack trace', async () => {
    const app = await appWith();
    const cookie = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
    await sql`alter table client rename to client_moved_away`.execute(t.db);
    try {
      const response = await app.inject({
        method: 'GET',
        url: '/api/v1/clients',
        headers: { cookie },
      });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        code: 'INTERNAL',
        message: 'Something went wrong on the server. Quote the correlation id when reporting it.',
        details: { correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      });
      expect(response.body).not.toMatch(/select|client_|42P01|\.ts:|\.js:/i);
    } finally {
      await sql`alter table client_moved_away rename to client`.execute(t.db);
    }
  });
});

describe('security settings from the environment', () => {
  it('uses the defaults when nothing is set', () => {
    expect(securityFromEnv({})).toEqual(DEFAULT_SECURITY);
  });

  it('reads minutes, limits and the off switch', () => {
    const config = securityFromEnv({
      MATTERFLOW_SESSION_IDLE_MINUTES: '30',
      MATTERFLOW_SESSION_ABSOLUTE_MINUTES: '480',
      MATTERFLOW_LOGIN_MAX_FAILURES: '3',
      MATTERFLOW_RATE_LIMIT: 'off',
      MATTERFLOW_BODY_LIMIT_BYTES: '2048',
      MATTERFLOW_SECURE_COOKIES: 'true',
    });
    expect(config).toMatchObject({
      sessionIdleMs: 30 * 60_000,
      sessionAbsoluteMs: 480 * 60_000,
      loginMaxFailuresPerAccount: 3,
      rateLimitPerMinute: null,
      rateLimitAnonymousPerMinute: null,
      bodyLimitBytes: 2048,
      secureCookies: true,
    });
  });

  it('names the variable that is malformed', () => {
    expect(() => securityFromEnv({ MATTERFLOW_LOGIN_MAX_FAILURES: 'five' })).toThrow(
      /MATTERFLOW_LOGIN_MAX_FAILURES/,
    );
    expect(() => securityFromEnv({ MATTERFLOW_RATE_LIMIT_PER_MINUTE: '0' })).toThrow(
      /MATTERFLOW_RATE_LIMIT_PER_MINUTE/,
    );
  });
});
