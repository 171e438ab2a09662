import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildUser, signIn } from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let cookie: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  // Timekeepers pick codes for their own entries, so the least privileged role is used here.
  cookie = await signIn(app, (await buildUser(t.db, { roles: ['timekeeper'] })).email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const get = (url: string, headers: Record<string, string> = { cookie }) =>
  app.inject({ method: 'GET', url: `/api/v1/utbms${url}`, headers });
const codesOf = (body: { items: { code: string }[] }) => body.items.map((item) => item.code);

describe('GET /api/v1/utbms/codes', () => {
  it('ranks the exact code first, then codes starting with the query', async () => {
    const response = await get('/codes?q=l110');
    expect(response.statusCode).toBe(200);
    expect(codesOf(response.json())[0]).toBe('L110');
    expect(codesOf((await get('/codes?q=L1')).json()).slice(0, 3)).toEqual([
      'L100',
      'L110',
      'L120',
    ]);
    expect(response.json().items[0]).toEqual({
      code: 'L110',
      name: expect.any(String),
      kind: 'task',
      set: 'litigation',
      phase: false,
      phase_code: 'L100',
    });
  });

  it('filters by kind and narrows task codes to a set, keeping activity and expense codes', async () => {
    const activities = codesOf((await get('/codes?kind=activity')).json());
    expect(activities).toContain('A101');
    expect(activities.every((code) => code.startsWith('A'))).toBe(true);

    const bankruptcy = codesOf((await get('/codes?set=bankruptcy&limit=500')).json());
    expect(bankruptcy).toEqual(expect.arrayContaining(['B110', 'A101', 'E101']));
    expect(bankruptcy.some((code) => /^[LCP]/.test(code))).toBe(false);

    const tasks = codesOf((await get('/codes?kind=task&set=counseling&limit=500')).json());
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((code) => code.startsWith('C'))).toBe(true);
  });

  it('searches names word by word and honours the limit', async () => {
    const codes = codesOf((await get('/codes?q=copy')).json());
    expect(codes).toContain('E101');
    expect(codesOf((await get('/codes?limit=3')).json())).toHaveLength(3);
  });

  it('answers a bad filter with 400 and a missing session with 401', async () => {
    expect((await get('/codes?kind=fee')).statusCode).toBe(400);
    expect((await get('/codes?limit=0')).statusCode).toBe(400);
    expect((await get('/codes', {})).statusCode).toBe(401);
  });
});

describe('GET /api/v1/utbms/codes/:code', () => {
  it('returns a code typed in any case and 404 for an unknown one', async () => {
    const found = await get('/codes/e101');
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ code: 'E101', kind: 'expense', phase_code: null });
    const unknown = await get('/codes/L999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('UTBMS_CODE_NOT_FOUND');
  });
});
