import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAllowed } from '../domain/policy.js';
import type { Role } from '../domain/roles.js';
import { ROLES } from '../domain/roles.js';
import { TOKEN_SCOPES } from '../modules/auth/auth.service.js';
import type { TestDatabase } from '../test/database.js';
import { openTestDatabase } from '../test/database.js';
import {
  addMatterMember,
  buildClient,
  buildExpense,
  buildMatter,
  buildTimeEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../test/factories.js';
import { buildApp } from './app.js';
import type { DeclaredRoute } from './auth.js';
import { declaredRoutesOf, requiredScope } from './auth.js';

/**
 * The authorization matrix: every route in the OpenAPI document × every role, the expected
 * answer taken from the route's declared policy and the policy table, plus walled matters for
 * non-members and token scopes. Routes added later join it without a line here.
 */

const PUBLIC = new Set(['POST /api/v1/auth/sign-in']);
/** Routes for any signed-in user, tied to no resource. Adding one is a decision: name it here. */
const AUTHENTICATED_ONLY = new Set([
  'POST /api/v1/auth/sign-out',
  'GET /api/v1/auth/me',
  // Each user's own inbox, notification preferences and webhook subscriptions.
  'GET /api/v1/inbox',
  'GET /api/v1/inbox/unread-count',
  'POST /api/v1/inbox/{id}/read',
  'POST /api/v1/inbox/read-all',
  'GET /api/v1/notification-preferences',
  'PUT /api/v1/notification-preferences',
  'PUT /api/v1/notification-preferences/mutes/{matter_id}',
  'DELETE /api/v1/notification-preferences/mutes/{matter_id}',
  'GET /api/v1/webhook-subscriptions',
  'POST /api/v1/webhook-subscriptions',
  'DELETE /api/v1/webhook-subscriptions/{id}',
]);
/** Codes that mean the access layer refused, as opposed to the request being wrong. */
const ACCESS_REFUSALS = [
  'FORBIDDEN',
  'TOKEN_SCOPE_MISSING',
  'csrf_token_invalid',
  'UNAUTHENTICATED',
];

/** The walled matter's practice area: only its members may learn that the firm has one. */
const WALLED_PRACTICE_AREA = 'Internal investigations';

let t: TestDatabase;
let app: FastifyInstance;
const cookies = {} as Record<Role, string>;
let memberCookie: string;
let routes: { method: string; path: string; declared: DeclaredRoute }[];
const ids = {
  client: 0,
  matter: 0,
  walledMatter: 0,
  walledMatterName: '',
  entry: 0,
  walledEntry: 0,
  walledExpense: 0,
  expense: 0,
  timekeeper: 0,
  timekeeperCode: '',
  spareUser: 0,
};

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  const client = await buildClient(t.db);
  const timekeeper = await buildTimekeeper(t.db);
  const matter = await buildMatter(t.db, { client_id: client.id });
  const walled = await buildMatter(t.db, {
    client_id: client.id,
    restricted: true,
    practice_area: WALLED_PRACTICE_AREA,
  });
  const entry = await buildTimeEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
  const walledEntry = await buildTimeEntry(t.db, {
    matter_id: walled.id,
    timekeeper_id: timekeeper.id,
  });
  const expense = await buildExpense(t.db, { matter_id: matter.id });
  const walledExpense = await buildExpense(t.db, { matter_id: walled.id });
  Object.assign(ids, {
    client: client.id,
    matter: matter.id,
    walledMatter: walled.id,
    walledMatterName: walled.name,
    entry: entry.id,
    walledEntry: walledEntry.id,
    expense: expense.id,
    walledExpense: walledExpense.id,
    timekeeper: timekeeper.id,
    timekeeperCode: timekeeper.timekeeper_code,
    spareUser: (await buildUser(t.db, { roles: ['approver'] })).id,
  });
  for (const role of ROLES) {
    const user = await buildUser(t.db, {
      roles: [role],
      ...(role === 'timekeeper' ? { timekeeper_id: timekeeper.id } : {}),
    });
    cookies[role] = await signIn(app, user.email);
  }
  const member = await buildUser(t.db, { roles: ['legal_ops'] });
  await addMatterMember(t.db, walled.id, member.id);
  memberCookie = await signIn(app, member.email);

  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, unknown>>;
  }>();
  const declared = new Map(
    declaredRoutesOf(app).map((route) => [
      `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`,
      route,
    ]),
  );
  routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => {
      const key = `${method.toUpperCase()} ${path}`;
      const route = declared.get(key);
      if (!route) throw new Error(`${key} is in the OpenAPI document but was never declared`);
      return { method: method.toUpperCase(), path, declared: route };
    }),
  );
}, 120_000);
afterAll(async () => {
  await app.close();
  await t.close();
});

/** The path with ids of real rows (the walled matter's, when asked). */
function urlFor(path: string, walled = false): string {
  const idFor: Record<string, number> = {
    matters: walled ? ids.walledMatter : ids.matter,
    'time-entries': walled ? ids.walledEntry : ids.entry,
    expenses: walled ? ids.walledExpense : ids.expense,
    clients: ids.client,
    timekeepers: ids.timekeeper,
    users: ids.spareUser,
  };
  const resource = path.split('/')[3] ?? '';
  return path
    .replace('{id}', String(idFor[resource] ?? 999_999))
    .replace('{userId}', String(ids.spareUser))
    .replace('{timekeeperCode}', ids.timekeeperCode)
    .replace('{key}', 'none')
    .replace('{version}', '1')
    .replace('{code}', 'L110')
    .replace(/\{[^}]+\}/g, '1');
}

/** The error code of a response, if its body is a JSON error. */
function codeOf(response: { body: string }): string {
  try {
    return (JSON.parse(response.body) as { code?: string }).code ?? '';
  } catch {
    return '';
  }
}

function send(method: string, url: string, headers: Record<string, string>) {
  return app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(method === 'GET' ? {} : { payload: {} }),
  });
}

describe('authorization matrix', () => {
  it('covers every route: each declares a policy, or is deliberately public or for any signed-in user', () => {
    expect(routes.length).toBeGreaterThan(60);
    const undeclared = routes
      .map(({ method, path, declared }) => ({ key: `${method} ${path}`, declared }))
      .filter(
        ({ key, declared }) =>
          !declared.policy &&
          !(declared.public && PUBLIC.has(key)) &&
          !(declared.authenticatedOnly && AUTHENTICATED_ONLY.has(key)),
      )
      .map(({ key }) => key);
    expect(undeclared).toEqual([]);
  });

  it('answers walled matters, their entries and expenses with 404 to non-members (work: every role)', async () => {
    const walledGets = routes.filter(
      ({ method, path }) =>
        method === 'GET' && /^\/api\/v1\/(matters|time-entries|expenses)\/\{id\}/.test(path),
    );
    expect(walledGets.length).toBeGreaterThan(3);
    const wrong: string[] = [];
    for (const role of ROLES) {
      for (const { path, declared } of walledGets) {
        if (!declared.policy) continue;
        const actor = {
          userId: '1',
          email: '',
          roles: [role],
          timekeeperId: null,
          via: 'session' as const,
        };
        if (!isAllowed(actor, declared.policy.action, declared.policy.resource)) continue;
        const response = await send('GET', urlFor(path, true), { cookie: cookies[role] });
        // Admins manage walls, so they see a walled matter's record (never its work).
        const expected = role === 'admin' && path.startsWith('/api/v1/matters/') ? 200 : 404;
        if (response.statusCode !== expected)
          wrong.push(`${role} GET ${path} → ${response.statusCode}, expected ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
    const member = await send('GET', urlFor('/api/v1/matters/{id}', true), {
      cookie: memberCookie,
    });
    expect(member.statusCode).toBe(200);
  });

  it('leaves walled work out of lists, counts and search for non-members', async () => {
    const wrong: string[] = [];
    for (const role of ROLES) {
      const search = await send(
        'GET',
        `/api/v1/matters?q=${encodeURIComponent(ids.walledMatterName)}`,
        {
          cookie: cookies[role],
        },
      );
      if (role !== 'admin' && search.statusCode === 200 && search.json().items.length !== 0)
        wrong.push(`${role} finds the walled matter by name`);
      for (const list of [
        '/api/v1/matters?limit=500',
        '/api/v1/time-entries?limit=500',
        '/api/v1/expenses?limit=500',
      ]) {
        const response = await send('GET', list, { cookie: cookies[role] });
        if (response.statusCode !== 200) continue;
        const items = response.json<{ items: { id: number; matter_id?: number }[] }>().items;
        const leaked = items.filter(
          (item) =>
            item.id === (list.includes('matters') && role !== 'admin' ? ids.walledMatter : -1) ||
            item.matter_id === ids.walledMatter,
        );
        if (leaked.length > 0) wrong.push(`${role} ${list} lists ${leaked.length} walled rows`);
      }
    }
    expect(wrong).toEqual([]);
    // The dashboard's filter choices come from visible matters only.
    for (const role of ROLES) {
      const choices = await send('GET', '/api/v1/metrics/filters', { cookie: cookies[role] });
      if (
        choices.statusCode === 200 &&
        choices.json().practice_areas.includes(WALLED_PRACTICE_AREA)
      )
        wrong.push(`${role} /api/v1/metrics/filters names the walled practice area`);
    }
    expect(wrong).toEqual([]);
    const member = await send(
      'GET',
      `/api/v1/matters?q=${encodeURIComponent(ids.walledMatterName)}`,
      {
        cookie: memberCookie,
      },
    );
    expect(member.json().items).toHaveLength(1);
    const memberChoices = await send('GET', '/api/v1/metrics/filters', { cookie: memberCookie });
    expect(memberChoices.json().practice_areas).toContain(WALLED_PRACTICE_AREA);
  });

  it('lets each role through exactly the routes the policy table grants it', async () => {
    const wrong: string[] = [];
    for (const role of ROLES) {
      const actor = {
        userId: '1',
        email: '',
        roles: [role],
        timekeeperId: null,
        via: 'session' as const,
      };
      for (const { method, path, declared } of routes) {
        if (!declared.policy) continue;
        const allowed = isAllowed(actor, declared.policy.action, declared.policy.resource);
        const response = await send(method, urlFor(path), { cookie: cookies[role] });
        const code = codeOf(response);
        if (allowed && (response.statusCode === 401 || ACCESS_REFUSALS.includes(code)))
          wrong.push(`${role} ${method} ${path}: allowed, got ${response.statusCode} ${code}`);
        if (!allowed && (response.statusCode !== 403 || code !== 'FORBIDDEN'))
          wrong.push(`${role} ${method} ${path}: denied, got ${response.statusCode} ${code}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);

  it('asks an API token for the scope each route needs, and nothing else', async () => {
    const admin = cookies.admin;
    const tokens = new Map<string, string>();
    const tokenWith = async (scopes: string[]) => {
      const key = scopes.join(',');
      const known = tokens.get(key);
      if (known) return known;
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/api-tokens',
        headers: { cookie: admin },
        payload: { name: key, scopes },
      });
      const token = created.json<{ token: string }>().token;
      tokens.set(key, token);
      return token;
    };
    const wrong: string[] = [];
    for (const { method, path, declared } of routes) {
      if (
        !declared.policy ||
        !isAllowed(
          { userId: '1', email: '', roles: ['admin'], timekeeperId: null, via: 'token' },
          declared.policy.action,
          declared.policy.resource,
        )
      )
        continue;
      const needed = requiredScope(declared.policy);
      const others = TOKEN_SCOPES.filter((scope) => scope !== needed && scope !== 'admin');
      const without = await send(method, urlFor(path), {
        authorization: `Bearer ${await tokenWith(others)}`,
      });
      if (without.statusCode !== 403 || codeOf(without) !== 'TOKEN_SCOPE_MISSING')
        wrong.push(`${method} ${path} without "${needed}": ${without.statusCode}`);
      const withIt = await send(method, urlFor(path), {
        authorization: `Bearer ${await tokenWith([needed])}`,
      });
      const code = codeOf(withIt);
      if (withIt.statusCode === 401 || ACCESS_REFUSALS.includes(code))
        wrong.push(`${method} ${path} with "${needed}": ${withIt.statusCode} ${code}`);
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});
