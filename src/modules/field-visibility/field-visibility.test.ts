import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/roles.js';
import { isAllowed } from '../../domain/policy.js';
import { buildApp } from '../../http/app.js';
import { declaredRoutesOf, type DeclaredRoute } from '../../http/auth.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  buildActiveGuideline,
  buildClient,
  buildExpense,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimeEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';
import { caller } from '../../test/invoice-drafts.js';
import { pdfText } from '../../test/pdf-text.js';

/**
 * Field-level rules end to end: every GET route of the API (taken from the OpenAPI document)
 * is called as a role with rates and reasons hidden, and the raw body (the PDF's text too) must
 * not hold any of the known rate, amount or reason values; a role that may see them does.
 */

let t: TestDatabase;
let app: FastifyInstance;
let call: ReturnType<typeof caller>;
const cookies = {} as Record<Role, string>;
let routes: { path: string; declared: DeclaredRoute }[];
const ids = { invoice: 0, entry: 0, expense: 0, matter: 0, client: 0, timekeeper: 0, line: 0 };
let timekeeperCode = '';
let matterCode = '';

/** Distinctive values: found in a body only if the field leaked. */
const RATE = { text: '617.37', cents: '61737' };
const STANDARD_RATE = { text: '739.13', cents: 73913 };
const APPROVED_RATE = '654.32';
const EXPENSE_COST = { text: '123.47', cents: 12347 };
const WRITE_DOWN = { text: '37.91', cents: '3791' };
const REASON_NOTE = 'Q7X partner agreed to trim the research';
const DRAFT_ENTRY_AMOUNT = { text: '1975.58', cents: 197558 };

const RATE_VALUES = [
  RATE.text,
  RATE.cents,
  STANDARD_RATE.text,
  APPROVED_RATE,
  WRITE_DOWN.cents,
  DRAFT_ENTRY_AMOUNT.text,
];
const REASON_VALUES = [REASON_NOTE, 'inefficiency', 'Inefficiency'];

/** Query strings that make a GET route answer with data rather than 400. */
const QUERIES: Record<string, string> = {
  '/api/v1/reports/write-downs': 'from=2026-01-01&to=2026-12-31&by=timekeeper',
  '/api/v1/rates/lookup': '',
};

beforeAll(async () => {
  t = await openTestDatabase();
  t.clock.set('2026-11-10T12:00:00Z');
  app = await buildApp({ ctx: t.ctx });
  call = caller(app);
  const client = await buildClient(t.db);
  // A rate cap below the entries' rate: its findings' messages quote the rate.
  await buildActiveGuideline(
    t.db,
    `
id: fv-ocg
client: ${client.client_code}
name: Field rules guidelines
effective_from: 2026-01-01
rules:
  - { id: cap, kind: rate_cap, params: { max_rate: 500.00 }, severity: warn, owner: timekeeper }
`,
    client.id,
  );
  const attorney = await buildTimekeeper(t.db, { classification: 'PT' });
  const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: STANDARD_RATE.cents });
  const matter = await buildMatter(t.db, {
    client_id: client.id,
    responsible_attorney_id: attorney.id,
    billing_partner_id: attorney.id,
  });
  await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: Number(RATE.cents) });
  await t.db
    .insertInto('matter_timekeeper')
    .values({ matter_id: matter.id, timekeeper_id: timekeeper.id, approved_rate_cents: 65432 })
    .execute();
  await buildReleasedEntry(t.db, {
    matter_id: matter.id,
    timekeeper_id: timekeeper.id,
    hours: '4.00',
    work_date: '2026-10-15',
  });
  // A November entry valued at the rate, outside the October bill run.
  const entry = await buildTimeEntry(t.db, {
    matter_id: matter.id,
    timekeeper_id: timekeeper.id,
    hours: '3.20',
    work_date: '2026-11-02',
    rate_cents: Number(RATE.cents),
    amount_cents: DRAFT_ENTRY_AMOUNT.cents,
  });
  const expense = await buildExpense(t.db, {
    matter_id: matter.id,
    timekeeper_id: timekeeper.id,
    quantity: '1.00',
    unit_cost_cents: EXPENSE_COST.cents,
    amount_cents: EXPENSE_COST.cents,
    expense_date: '2026-11-03',
  });
  for (const role of ['admin', 'legal_ops', 'billing_coordinator', 'approver'] as const)
    cookies[role] = await signIn(app, (await buildUser(t.db, { roles: [role] })).email);
  cookies.timekeeper = await signIn(
    app,
    (await buildUser(t.db, { roles: ['timekeeper'], timekeeper_id: timekeeper.id })).email,
  );

  const run = await call('POST', '/bill-runs', cookies.billing_coordinator, {
    period: '2026-10',
    matter_code: matter.matter_code,
  });
  expect(run.statusCode).toBe(200);
  const invoiceId: number = run.json().invoices[0].id;
  const invoice = (await call('GET', `/invoices/${invoiceId}`, cookies.billing_coordinator)).json();
  const adjusted = await call(
    'POST',
    `/invoices/${invoiceId}/adjustments`,
    cookies.billing_coordinator,
    {
      version: invoice.version,
      kind: 'write_down',
      line_id: invoice.lines[0].id,
      amount: WRITE_DOWN.text,
      reason_code: 'inefficiency',
      note: REASON_NOTE,
    },
  );
  expect(adjusted.statusCode).toBe(200);
  Object.assign(ids, {
    invoice: invoiceId,
    entry: entry.id,
    expense: expense.id,
    matter: matter.id,
    client: client.id,
    timekeeper: timekeeper.id,
    line: invoice.lines[0].id,
  });
  timekeeperCode = timekeeper.timekeeper_code;
  matterCode = matter.matter_code;
  QUERIES['/api/v1/rates/lookup'] =
    `timekeeper=${timekeeperCode}&matter=${matterCode}&date=2026-10-15`;

  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, unknown>>;
  }>();
  const declared = new Map(
    declaredRoutesOf(app).map((route) => [
      `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`,
      route,
    ]),
  );
  routes = Object.entries(doc.paths)
    .filter(([, methods]) => 'get' in methods)
    .map(([path]) => ({ path, declared: declared.get(`GET ${path}`)! }));
}, 120_000);

afterAll(async () => {
  await app.close();
  await t.close();
});

function urlFor(path: string): string {
  const idFor: Record<string, number> = {
    invoices: ids.invoice,
    'time-entries': ids.entry,
    expenses: ids.expense,
    matters: ids.matter,
    clients: ids.client,
    timekeepers: ids.timekeeper,
  };
  const resource = path.split('/')[3] ?? '';
  const url = path
    .replace('{id}', String(idFor[resource] ?? 1))
    .replace('{lineId}', String(ids.line))
    .replace('{timekeeperCode}', timekeeperCode)
    .replace(/\{[^}]+\}/g, '1');
  const query = QUERIES[path];
  return query ? `${url}?${query}` : url;
}

/** What a response shows: its body, or the text of a PDF (wrapped lines joined again). */
function shown(response: LightMyRequestResponse): string {
  return response.headers['content-type'] === 'application/pdf'
    ? pdfText(response.rawPayload).replace(/\s+/g, ' ')
    : response.body;
}

/** Calls every GET route the role may call; returns the bodies that answered 200, by path. */
async function everyGet(role: Role): Promise<Map<string, string>> {
  const actor = {
    userId: '1',
    email: '',
    roles: [role],
    timekeeperId: null,
    via: 'session' as const,
  };
  const bodies = new Map<string, string>();
  for (const { path, declared } of routes) {
    if (declared.policy && !isAllowed(actor, declared.policy.action, declared.policy.resource))
      continue;
    const response = await app.inject({
      method: 'GET',
      url: urlFor(path),
      headers: { cookie: cookies[role] },
    });
    if (response.statusCode === 200) bodies.set(path, shown(response));
  }
  return bodies;
}

function leaks(bodies: Map<string, string>, values: readonly string[]): string[] {
  const found: string[] = [];
  for (const [path, body] of bodies)
    for (const value of values)
      // The reason-code list is the firm's configuration, not a write-down's reason.
      if (body.includes(value) && !(path === '/api/v1/adjustment-reasons' && value !== REASON_NOTE))
        found.push(`${path} shows ${value}`);
  return found;
}

async function setRule(role: Role, change: { rates?: boolean; reasons?: boolean }) {
  const list = (await call('GET', '/settings/field-visibility', cookies.admin)).json();
  const row = list.items.find((item: { role: string }) => item.role === role);
  const response = await call('PUT', `/settings/field-visibility/${role}`, cookies.admin, {
    ...change,
    version: row.version,
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('field-level rules', () => {
  it('starts with the documented defaults: timekeepers see neither rates nor reasons', async () => {
    const response = await call('GET', '/settings/field-visibility', cookies.admin);
    expect(response.statusCode).toBe(200);
    expect(
      response
        .json()
        .items.map((i: { role: string; rates: boolean; reasons: boolean }) => [
          i.role,
          i.rates,
          i.reasons,
        ]),
    ).toEqual([
      ['admin', true, true],
      ['approver', true, true],
      ['billing_coordinator', true, true],
      ['legal_ops', true, true],
      ['timekeeper', false, false],
    ]);
  });

  it('shows a timekeeper no rate, amount or reason on any GET route, and nulls the fields', async () => {
    const bodies = await everyGet('timekeeper');
    expect([...bodies.keys()]).toEqual(
      expect.arrayContaining([
        '/api/v1/time-entries',
        '/api/v1/time-entries/{id}',
        '/api/v1/expenses/{id}',
        '/api/v1/timekeepers',
      ]),
    );
    expect(leaks(bodies, [...RATE_VALUES, ...REASON_VALUES])).toEqual([]);
    const entry = JSON.parse(bodies.get('/api/v1/time-entries/{id}')!);
    expect(entry).toMatchObject({ id: ids.entry, rate: null, amount: null, hours: '3.20' });
    // An expense is a disbursement the timekeeper records from a receipt: its cost stays shown.
    const expense = JSON.parse(bodies.get('/api/v1/expenses/{id}')!);
    expect(expense).toMatchObject({ unit_cost: EXPENSE_COST.text, amount: EXPENSE_COST.text });
  });

  it('shows the billing coordinator every value the timekeeper does not see', async () => {
    const bodies = await everyGet('billing_coordinator');
    const all = [...bodies.values()].join('\n');
    for (const value of [...RATE_VALUES, ...REASON_VALUES]) expect(all).toContain(value);
    expect(bodies.get('/api/v1/invoices/{id}/prebill.pdf')).toContain(REASON_NOTE);
    expect(JSON.parse(bodies.get('/api/v1/time-entries/{id}')!)).toMatchObject({
      rate: RATE.text,
      amount: DRAFT_ENTRY_AMOUNT.text,
    });
  });

  it('hides rates and reasons from approvers once an admin says so, on every GET route, HTML and PDF', async () => {
    const before = await everyGet('approver');
    expect(leaks(before, [...RATE_VALUES, ...REASON_VALUES]).length).toBeGreaterThan(10);

    await setRule('approver', { rates: false, reasons: false });
    const after = await everyGet('approver');
    expect([...after.keys()]).toEqual(
      expect.arrayContaining([
        '/api/v1/invoices',
        '/api/v1/invoices/{id}',
        '/api/v1/invoices/{id}/history',
        '/api/v1/invoices/{id}/prebill',
        '/api/v1/invoices/{id}/prebill.pdf',
        '/api/v1/rates',
        '/api/v1/rates/lookup',
        '/api/v1/time-entries/{id}',
        '/api/v1/matters/{id}/timekeepers',
      ]),
    );
    expect(leaks(after, [...RATE_VALUES, ...REASON_VALUES])).toEqual([]);
    const invoice = JSON.parse(after.get('/api/v1/invoices/{id}')!);
    expect(invoice.total_cents).toBeNull();
    expect(invoice.lines[0]).toMatchObject({ unit_cost_cents: null, amount_cents: null });
    expect(invoice.adjustments[0]).toMatchObject({
      kind: 'write_down',
      amount_cents: null,
      reason_code: null,
      note: null,
    });
    const byReason = await call(
      'GET',
      '/reports/write-downs?from=2026-01-01&to=2026-12-31&by=reason',
      cookies.approver,
    );
    expect(byReason.statusCode).toBe(403);
    expect(byReason.json().code).toBe('FIELD_HIDDEN');

    // Reasons back on, rates still off: the note shows again, the amounts do not.
    await setRule('approver', { reasons: true });
    const reasonsOnly = await everyGet('approver');
    expect(leaks(reasonsOnly, RATE_VALUES)).toEqual([]);
    expect(reasonsOnly.get('/api/v1/invoices/{id}')).toContain(REASON_NOTE);
    await setRule('approver', { rates: true });
  });

  it('lets a user see a field when any of their roles may', async () => {
    const both = await buildUser(t.db, { roles: ['timekeeper', 'billing_coordinator'] });
    const cookie = await signIn(app, both.email);
    const entry = await call('GET', `/time-entries/${ids.entry}`, cookie);
    expect(entry.json()).toMatchObject({ rate: RATE.text });
  });

  it('audits each change with before and after in the same transaction, and answers a stale version 409', async () => {
    const row = await setRule('legal_ops', { reasons: false });
    expect(row).toMatchObject({ role: 'legal_ops', rates: true, reasons: false });
    const events = await t.db
      .selectFrom('audit_event')
      .select(['action', 'entity_id', 'before', 'after'])
      .where('entity_type', '=', 'field_visibility')
      .orderBy('id', 'desc')
      .execute();
    expect(events[0]).toMatchObject({
      action: 'field_visibility.update',
      entity_id: 'legal_ops',
      before: { rates: true, reasons: true },
      after: { rates: true, reasons: false },
    });
    const stale = await call('PUT', '/settings/field-visibility/legal_ops', cookies.admin, {
      reasons: true,
      version: row.version - 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');
    await setRule('legal_ops', { reasons: true });
  });

  it('refuses the setting to every role but admin, and refuses a body that changes nothing', async () => {
    for (const role of ['legal_ops', 'billing_coordinator', 'approver', 'timekeeper'] as const) {
      const read = await call('GET', '/settings/field-visibility', cookies[role]);
      const write = await call('PUT', '/settings/field-visibility/timekeeper', cookies[role], {
        rates: true,
        version: 1,
      });
      expect([role, read.statusCode, write.statusCode]).toEqual([role, 403, 403]);
    }
    const empty = await call('PUT', '/settings/field-visibility/timekeeper', cookies.admin, {
      version: 1,
    });
    expect(empty.statusCode).toBe(400);
    const rows = await t.db
      .selectFrom('field_visibility')
      .select(['rates', 'reasons'])
      .where('role', '=', 'timekeeper')
      .executeTakeFirstOrThrow();
    expect(rows).toEqual({ rates: false, reasons: false });
  });
});
