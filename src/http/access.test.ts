import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const PUBLIC = new Set(['POST /api/v1/auth/sign-in']);

describe('every API route', () => {
  it('answers 401 without credentials, whatever the route (generated from the OpenAPI document)', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = response.json<{ paths: Record<string, Record<string, unknown>> }>();
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    );
    expect(routes.length).toBeGreaterThan(40);
    const open: string[] = [];
    for (const { method, path } of routes) {
      if (PUBLIC.has(`${method} ${path}`)) continue;
      const url = path.replace(/\{[^}]+\}/g, '1');
      const response = await app.inject({
        method: method as 'GET',
        url,
        payload: method === 'GET' ? undefined : {},
      });
      if (response.statusCode !== 401) open.push(`${method} ${path} → ${response.statusCode}`);
    }
    expect(open).toEqual([]);
  });

  it('refuses an unknown bearer token', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/matters',
      headers: { authorization: 'Bearer mf_not-a-token' },
    });
    expect(response.statusCode).toBe(401);
  });
});
