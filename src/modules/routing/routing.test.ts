import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildUser, signIn } from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let legalOps: string;
let approver: string;
let timekeeper: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  legalOps = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
  approver = await signIn(app, (await buildUser(t.db, { roles: ['approver'] })).email);
  timekeeper = await signIn(app, (await buildUser(t.db, { roles: ['timekeeper'] })).email);
  await buildUser(t.db, { roles: ['billing_coordinator'], email: 'Reviewer@Firm.test' });
});
afterAll(async () => {
  await app.close();
  await t.close();
});

/** A small routing table; `reviewer` varies the rule so each import differs. */
function doc(key: string, reviewer = 'billing_coordinator'): string {
  return [
    `# ${key}: kept byte for byte, comments included`,
    `id: ${key}`,
    `name: ${key} routing`,
    'rules:',
    '  - id: big',
    "    match: { min_amount: '10000.00' }",
    `    reviewer: ${reviewer}`,
    '    approvers: [responsible_attorney, billing_partner]',
    'default:',
    '  reviewer: billing_coordinator',
    '  approvers: [responsible_attorney]',
    '',
  ].join('\n');
}

function post(url: string, payload: string | object, contentType?: string, as = legalOps) {
  return app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { cookie: as, ...(contentType ? { 'content-type': contentType } : {}) },
    payload,
  });
}
function get(url: string, as = legalOps) {
  return app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie: as } });
}
const countRows = async (table: 'routing_table' | 'audit_event') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const statuses = async () =>
  (await get('/routing-tables'))
    .json()
    .items.map(
      (v: { key: string; version: number; status: string }) => `${v.key}@${v.version}:${v.status}`,
    );

describe('importing routing tables', () => {
  it('stores each import as the next draft version, source text byte for byte', async () => {
    const text = doc('rt-a');
    const first = await post('/routing-tables', text, 'text/yaml');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      key: 'rt-a',
      name: 'rt-a routing',
      version: 1,
      status: 'draft',
      rule_count: 1,
      activated_at: null,
    });
    const second = await post('/routing-tables', { content: doc('rt-a', 'legal_ops') });
    expect(second.json()).toMatchObject({ version: 2, status: 'draft' });
    const plain = await post(
      '/routing-tables',
      doc('rt-a', 'user:reviewer@firm.test'),
      'text/plain',
    );
    expect(plain.json()).toMatchObject({ version: 3 });

    const detail = await get('/routing-tables/rt-a/versions/1');
    expect(detail.statusCode).toBe(200);
    expect(detail.json().source_text).toBe(text);
    expect(detail.json().table).toEqual({
      rules: [
        {
          id: 'big',
          match: { minAmountCents: 1000000 },
          reviewer: 'billing_coordinator',
          approvers: ['responsible_attorney', 'billing_partner'],
        },
      ],
      default: { reviewer: 'billing_coordinator', approvers: ['responsible_attorney'] },
    });
    expect((await get('/routing-tables/rt-a/versions/9')).statusCode).toBe(404);
    const audit = await t.db
      .selectFrom('audit_event')
      .select('after')
      .where('action', '=', 'routing_table.import')
      .execute();
    expect(audit).toHaveLength(3);
  });

  it('rejects an invalid document with every problem located, writing nothing', async () => {
    const before = [await countRows('routing_table'), await countRows('audit_event')];
    const bad = doc('rt-bad', 'somebody').replace("'10000.00'", "'ten'");
    const response = await post('/routing-tables', bad, 'application/yaml');
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('ROUTING_TABLE_INVALID');
    expect(response.json().details.issues).toEqual([
      expect.objectContaining({ line: 6, column: 26, field: 'rules[0].match.min_amount' }),
      expect.objectContaining({ line: 7, column: 15, field: 'rules[0].reviewer' }),
    ]);
    const broken = await post('/routing-tables', { content: 'id: [unclosed\n' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().details.issues[0]).toMatchObject({ line: expect.any(Number) });
    expect([await countRows('routing_table'), await countRows('audit_event')]).toEqual(before);
  });

  it('locates a user reference that names no active user', async () => {
    await buildUser(t.db, { email: 'gone@firm.test', active: false });
    const text = doc('rt-users', 'user:nobody@firm.test').replace(
      '[responsible_attorney]',
      '[responsible_attorney, user:gone@firm.test]',
    );
    const response = await post('/routing-tables', text, 'text/yaml');
    expect(response.statusCode).toBe(400);
    expect(response.json().details.issues).toEqual([
      expect.objectContaining({
        line: 7,
        column: 15,
        field: 'rules[0].reviewer',
        message: expect.stringContaining('nobody@firm.test'),
      }),
      expect.objectContaining({ line: 11, column: 37, field: 'default.approvers[1]' }),
    ]);
  });

  it('lets only legal ops and admins import, and the billing side read', async () => {
    expect((await post('/routing-tables', doc('rt-x'), 'text/yaml', approver)).statusCode).toBe(
      403,
    );
    expect((await get('/routing-tables', approver)).statusCode).toBe(200);
    expect((await get('/routing-tables', timekeeper)).statusCode).toBe(403);
  });
});

describe('activating routing tables', () => {
  it('activates one version at a time, retiring the active one, with audit events', async () => {
    await post('/routing-tables', doc('rt-b'), 'text/yaml');
    const first = await post('/routing-tables/rt-a/versions/1/activate', {});
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'active', activated_by: expect.any(String) });
    const again = await post('/routing-tables/rt-a/versions/1/activate', {});
    expect(again.json()).toMatchObject({ status: 'active' });
    const other = await post('/routing-tables/rt-b/versions/1/activate', {});
    expect(other.json()).toMatchObject({ key: 'rt-b', status: 'active' });
    expect(await statuses()).toEqual([
      'rt-a@1:retired',
      'rt-a@2:draft',
      'rt-a@3:draft',
      'rt-b@1:active',
    ]);
    const events = await t.db
      .selectFrom('audit_event')
      .select(['before', 'after'])
      .where('action', '=', 'routing_table.activate')
      .orderBy('id')
      .execute();
    // Activating the active version again changes nothing and records nothing.
    expect(events).toHaveLength(2);
    expect(events[1]!.after).toMatchObject({
      active: { key: 'rt-b', version: 1, status: 'active' },
      retired: { key: 'rt-a', version: 1, status: 'retired' },
    });
    expect((await post('/routing-tables/rt-z/versions/1/activate', {})).statusCode).toBe(404);
  });

  it('leaves exactly one table active when two activations run in parallel', async () => {
    const results = await Promise.all([
      post('/routing-tables/rt-a/versions/2/activate', {}),
      post('/routing-tables/rt-a/versions/3/activate', {}),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    const active = (await statuses()).filter((s: string) => s.endsWith(':active'));
    expect(active).toHaveLength(1);
  });

  it('activates on import when asked, and exports the active source text exactly', async () => {
    const text = `{"id": "rt-json", "name": "JSON table", "rules": [],\n "default": {"reviewer": "legal_ops", "approvers": ["responsible_attorney"]}}\n`;
    const imported = await post('/routing-tables?activate=true', text, 'text/plain');
    expect(imported.json()).toMatchObject({ key: 'rt-json', status: 'active', rule_count: 0 });
    const exported = await get('/routing-tables/export', approver);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('application/json');
    expect(exported.body).toBe(text);

    const yaml = doc('rt-c');
    await post('/routing-tables', { content: yaml, activate: true });
    const again = await get('/routing-tables/export');
    expect(again.headers['content-type']).toContain('text/yaml');
    expect(again.body).toBe(yaml);
  });
});
