import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGuideline } from '../../domain/guidelines/index.js';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildClient, buildUser, signIn } from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let legalOps: string;
let timekeeper: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  legalOps = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
  timekeeper = await signIn(app, (await buildUser(t.db, { roles: ['timekeeper'] })).email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

/** A small client guideline; `hours` varies the entry cap so each import differs. */
function doc(key: string, client: string, hours = '4.0'): string {
  return [
    `# ${key}: kept byte for byte, comments included`,
    `id: ${key}`,
    `client: '${client}'`,
    `name: ${key} billing rules`,
    'effective_from: 2026-01-01',
    'rules:',
    '  - id: entry-cap',
    '    kind: max_entry_hours',
    `    params: { hours: ${hours} }`,
    '    severity: block',
    '    owner: timekeeper',
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
const countRows = async (table: 'guideline_version' | 'audit_event') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('importing guidelines', () => {
  it('stores each import as the next draft version, source text byte for byte', async () => {
    await buildClient(t.db, { client_code: 'G-ACME' });
    const text = doc('g-acme', 'G-ACME');
    const first = await post('/guidelines', text, 'text/yaml');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      key: 'g-acme',
      client: 'G-ACME',
      version: 1,
      status: 'draft',
      rule_count: 1,
      effective_from: '2026-01-01',
      activated_at: null,
    });
    expect(first.json().imported_by).toMatch(/@firm\.test$/);

    const second = await post('/guidelines', { content: doc('g-acme', 'G-ACME', '6.0') });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ version: 2, status: 'draft' });

    const row = await t.db
      .selectFrom('guideline_version')
      .select(['source_text', 'document'])
      .where('guideline_key', '=', 'g-acme')
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
    expect(row.source_text).toBe(text);
    const parsed = parseGuideline(text);
    if (!('guideline' in parsed)) throw new Error('fixture must parse');
    // What is stored is the parsed guideline itself: nothing is lost going through JSON.
    expect(JSON.parse(JSON.stringify(parsed.guideline))).toEqual(parsed.guideline);
    expect(row.document).toEqual(parsed.guideline);
    const audit = await t.db
      .selectFrom('audit_event')
      .select('after')
      .where('action', '=', 'guideline.import')
      .execute();
    expect(audit).toHaveLength(2);
  });

  it('imports the example documents as they are', async () => {
    await buildClient(t.db, { client_code: 'ACME' });
    for (const name of ['firm-default.yaml', 'acme-insurance.yaml']) {
      const text = await readFile(
        new URL(`../../../examples/guidelines/${name}`, import.meta.url),
        'utf8',
      );
      const response = await post('/guidelines', text, 'application/yaml');
      expect(response.statusCode, response.body).toBe(201);
      const { key, version } = response.json();
      const detail = await get(`/guidelines/${key}/versions/${version}`);
      expect(detail.json().source_text).toBe(text);
    }
  });

  it('rejects an invalid document whole, with line and column of every problem', async () => {
    const before = [await countRows('guideline_version'), await countRows('audit_event')];
    const text = [
      'id: broken',
      "client: 'NOPE'",
      'name: Broken',
      'effective_from: 2026-13-01',
      'rules:',
      '  - id: a',
      '    kind: no_such_kind',
      '    severity: block',
      '    owner: timekeeper',
    ].join('\n');
    const response = await post('/guidelines', text, 'text/plain');
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('GUIDELINE_INVALID');
    expect(response.json().details.issues).toEqual([
      expect.objectContaining({ line: 2, column: 9, field: 'client' }),
      expect.objectContaining({ line: 4, column: 17, field: 'effective_from' }),
      expect.objectContaining({ line: 7, column: 11, field: 'rules[0].kind' }),
    ]);
    expect([await countRows('guideline_version'), await countRows('audit_event')]).toEqual(before);
  });

  it('locates an unknown client on the client line of an otherwise valid document', async () => {
    const response = await post('/guidelines', doc('g-ghost', 'GHOST'), 'text/yaml');
    expect(response.statusCode).toBe(400);
    expect(response.json().details.issues).toEqual([
      {
        line: 3,
        column: 9,
        field: 'client',
        message: expect.stringContaining('no client with code "GHOST"'),
      },
    ]);
  });

  it('keeps a guideline id with its client', async () => {
    await buildClient(t.db, { client_code: 'G-OTHER' });
    const response = await post('/guidelines', doc('g-acme', 'G-OTHER'), 'text/yaml');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'GUIDELINE_CLIENT_CHANGED',
      details: { issues: [{ line: 3, field: 'client' }] },
    });
  });

  it('validates a document without storing it, saying the version saving it would make', async () => {
    const before = [await countRows('guideline_version'), await countRows('audit_event')];
    const valid = await post('/guidelines/validate', { content: doc('g-acme', 'G-ACME', '3.5') });
    expect(valid.statusCode).toBe(200);
    expect(valid.json()).toEqual({
      key: 'g-acme',
      client: 'G-ACME',
      name: 'g-acme billing rules',
      effective_from: '2026-01-01',
      rule_count: 1,
      next_version: 3,
    });
    const broken = doc('g-acme', 'G-ACME').replace('kind: max_entry_hours', 'kind: max_entry_hour');
    const invalid = await post('/guidelines/validate', { content: broken });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({
      code: 'GUIDELINE_INVALID',
      details: {
        issues: [
          {
            line: 8,
            column: 11,
            field: 'rules[0].kind',
            message: expect.stringContaining('max_entry_hours'),
          },
        ],
      },
    });
    const moved = await post('/guidelines/validate', { content: doc('g-acme', 'G-OTHER') });
    expect(moved.json()).toMatchObject({
      code: 'GUIDELINE_CLIENT_CHANGED',
      details: { issues: [{ line: 3, field: 'client' }] },
    });
    expect([await countRows('guideline_version'), await countRows('audit_event')]).toEqual(before);
    expect(
      (await post('/guidelines/validate', { content: doc('g-tk', '*') }, undefined, timekeeper))
        .statusCode,
    ).toBe(403);
  });

  it('lets timekeepers read guidelines but not import them', async () => {
    expect((await get('/guidelines', timekeeper)).statusCode).toBe(200);
    const response = await post('/guidelines', doc('g-tk', '*'), 'text/yaml', timekeeper);
    expect(response.statusCode).toBe(403);
  });
});

describe('activating, listing and exporting guidelines', () => {
  it('activates a version, retiring the client’s active one, and records both steps', async () => {
    await buildClient(t.db, { client_code: 'G-ACT' });
    for (const hours of ['4.0', '5.0', '6.0'])
      await post('/guidelines', doc('g-act', 'G-ACT', hours), 'text/yaml');
    const first = await post('/guidelines/g-act/versions/1/activate', {});
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ version: 1, status: 'active' });
    expect(first.json().activated_by).toMatch(/@firm\.test$/);

    const second = await post('/guidelines/g-act/versions/2/activate', {});
    expect(second.json()).toMatchObject({ version: 2, status: 'active' });
    const list = await get('/guidelines?key=g-act');
    expect(list.json().items.map((v: { status: string }) => v.status)).toEqual([
      'retired',
      'active',
      'draft',
    ]);
    expect(list.json().items[0].retired_at).not.toBeNull();

    const auditBefore = await countRows('audit_event');
    const again = await post('/guidelines/g-act/versions/2/activate', {});
    expect(again.json()).toMatchObject({ version: 2, status: 'active' });
    expect(await countRows('audit_event')).toBe(auditBefore);

    const events = await t.db
      .selectFrom('audit_event')
      .select(['before', 'after'])
      .where('action', '=', 'guideline.activate')
      .where('entity_id', '=', String(second.json().id))
      .execute();
    expect(events).toEqual([
      {
        before: expect.objectContaining({ active: expect.objectContaining({ version: 1 }) }),
        after: expect.objectContaining({
          active: expect.objectContaining({ version: 2, status: 'active' }),
          retired: expect.objectContaining({ version: 1, status: 'retired' }),
        }),
      },
    ]);
  });

  it('leaves exactly one version active when two are activated at once', async () => {
    await buildClient(t.db, { client_code: 'G-RACE' });
    await post('/guidelines', doc('g-race', 'G-RACE', '4.0'), 'text/yaml');
    await post('/guidelines', doc('g-race-b', 'G-RACE', '5.0'), 'text/yaml');
    const results = await Promise.all([
      post('/guidelines/g-race/versions/1/activate', {}),
      post('/guidelines/g-race-b/versions/1/activate', {}),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    const list = await get('/guidelines?client=G-RACE');
    const statuses = list
      .json()
      .items.map((v: { status: string }) => v.status)
      .sort();
    expect(statuses).toEqual(['active', 'retired']);
  });

  it('activates on import when asked, in the same step', async () => {
    await buildClient(t.db, { client_code: 'G-NOW' });
    const response = await post('/guidelines?activate=true', doc('g-now', 'G-NOW'), 'text/yaml');
    expect(response.json()).toMatchObject({ version: 1, status: 'active' });
    const viaJson = await post('/guidelines', {
      content: doc('g-now', 'G-NOW', '3.0'),
      activate: true,
    });
    expect(viaJson.json()).toMatchObject({ version: 2, status: 'active' });
  });

  it('lists versions by client, firm-wide and status', async () => {
    await post('/guidelines', doc('g-firm', '*'), 'text/yaml');
    const firmWide = await get('/guidelines?client=*');
    expect(firmWide.json().items.map((v: { key: string }) => v.key)).toContain('g-firm');
    expect(firmWide.json().items.every((v: { client: string }) => v.client === '*')).toBe(true);
    const active = await get('/guidelines?client=G-ACT&status=active');
    expect(active.json().items).toEqual([expect.objectContaining({ key: 'g-act', version: 2 })]);
    expect((await get('/guidelines?status=bogus')).statusCode).toBe(400);
  });

  it('exports the active version, or a given one, exactly as imported', async () => {
    const text = doc('g-act', 'G-ACT', '5.0');
    const active = await get('/guidelines/export?client=G-ACT');
    expect(active.statusCode).toBe(200);
    expect(active.headers['content-type']).toBe('text/yaml; charset=utf-8');
    expect(active.body).toBe(text);
    const third = await get('/guidelines/export?client=G-ACT&version=3');
    expect(third.body).toBe(doc('g-act', 'G-ACT', '6.0'));

    const json = JSON.stringify(
      { id: 'g-json', client: '*', name: 'J', effective_from: '2026-01-01', rules: [] },
      null,
      4,
    );
    await post('/guidelines', { content: json, activate: true });
    const firmWide = await get('/guidelines/export?client=*');
    expect(firmWide.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(firmWide.body).toBe(json);

    expect((await get('/guidelines/export?client=G-OTHER')).statusCode).toBe(404);
    expect((await get('/guidelines/export?client=G-ACT&version=9')).statusCode).toBe(404);
  });

  it('shows one version with its source text and parsed rules', async () => {
    const response = await get('/guidelines/g-act/versions/1');
    expect(response.json()).toMatchObject({
      key: 'g-act',
      status: 'retired',
      source_text: doc('g-act', 'G-ACT', '4.0'),
      rules: [
        {
          id: 'entry-cap',
          kind: 'max_entry_hours',
          params: { hours: 400 },
          params_text: 'hours: 4.00 h',
        },
      ],
      disabled_rule_ids: [],
    });
    expect((await get('/guidelines/g-act/versions/7')).statusCode).toBe(404);
  });
});
