import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  buildClient,
  buildMatter,
  buildTimeEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';
import { importGuideline } from './import-guideline.js';

let t: TestDatabase;
let app: FastifyInstance;
let legalOps: string;
const entryIds = new Map<string, string>();

function guideline(key: string, client: string, rules: string[]): string {
  return [
    `id: ${key}`,
    `client: '${client}'`,
    `name: ${key}`,
    'effective_from: 2026-01-01',
    'rules:',
    ...rules,
    '',
  ].join('\n');
}
const entryCap = (hours: string) =>
  `  - { id: entry-cap, kind: max_entry_hours, params: { hours: ${hours} }, severity: block, owner: timekeeper }`;
const wordy = `  - { id: wordy, kind: narrative_length, params: { min_words: 20 }, severity: warn, owner: timekeeper }`;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  legalOps = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
  const timekeeper = await buildTimekeeper(t.db);
  for (const [code, hours] of [
    ['SB1', ['2.00', '5.00', '7.00', '9.00']],
    ['SB2', ['6.00']],
  ] as const) {
    const client = await buildClient(t.db, { client_code: code });
    const matter = await buildMatter(t.db, { client_id: client.id, matter_code: `${code}-M` });
    for (const [i, h] of hours.entries()) {
      const entry = await buildTimeEntry(t.db, {
        matter_id: matter.id,
        timekeeper_id: timekeeper.id,
        hours: h,
        work_date: `2026-10-0${i + 1}`,
      });
      entryIds.set(`${code}:${h}`, entry.entry_id);
    }
  }
  // Active today: SB1's own 8-hour cap plus a narrative rule the draft drops.
  await importGuideline(t.ctx, SYSTEM_ACTOR, guideline('sb1', 'SB1', [entryCap('8.0'), wordy]), {
    activate: true,
  });
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function sandbox(content: string, from = '2026-10-01', to = '2026-10-31') {
  return app.inject({
    method: 'POST',
    url: '/api/v1/guidelines/sandbox',
    headers: { cookie: legalOps },
    payload: { content, from, to },
  });
}

async function counts() {
  const tables = ['guideline_version', 'guideline_exception', 'audit_event', 'time_entry'] as const;
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await t.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

describe('the guideline sandbox', () => {
  it('shows what a client draft adds and drops against the active rules, writing nothing', async () => {
    const before = await counts();
    const response = await sandbox(guideline('sb1', 'SB1', [entryCap('4.0')]));
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({
      guideline: { key: 'sb1', client: 'SB1' },
      window: { from: '2026-10-01', to: '2026-10-31' },
      entries_checked: 4,
      rules: [
        { rule_id: 'entry-cap', active: 1, draft: 3, change: 'kept' },
        { rule_id: 'wordy', active: 4, draft: 0, change: 'removed' },
      ],
    });
    expect(report.added.map((f: { entity_id: string }) => f.entity_id).sort()).toEqual(
      [entryIds.get('SB1:5.00'), entryIds.get('SB1:7.00')].sort(),
    );
    expect(report.added[0]).toMatchObject({
      rule_id: 'entry-cap',
      entity: 'time_entry',
      matter: 'SB1-M',
    });
    expect(report.gone).toHaveLength(4);
    expect(report.gone.every((f: { rule_id: string }) => f.rule_id === 'wordy')).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it('runs a firm-wide draft over every client, under each client’s own guideline', async () => {
    const response = await sandbox(guideline('firm', '*', [entryCap('3.0')]));
    const report = response.json();
    // SB1's own cap overrides the firm's, so only SB2's entry is newly flagged.
    expect(report.added).toEqual([
      expect.objectContaining({ rule_id: 'entry-cap', entity_id: entryIds.get('SB2:6.00') }),
    ]);
    expect(report.gone).toEqual([]);
    expect(report.entries_checked).toBe(5);
  });

  it('rejects an invalid draft with the line and column of each problem', async () => {
    const response = await sandbox(guideline('bad', 'SB1', [entryCap('-1')]));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'GUIDELINE_INVALID',
      details: { issues: [expect.objectContaining({ line: 6, column: expect.any(Number) })] },
    });
    const backwards = await sandbox(
      guideline('sb1', 'SB1', [entryCap('4.0')]),
      '2026-10-31',
      '2026-10-01',
    );
    expect(backwards.statusCode).toBe(400);
  });
});

describe('the guidelines API description', () => {
  it('documents the document media types and the JSON form of an import', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const body = spec.paths['/api/v1/guidelines'].post.requestBody.content;
    expect(Object.keys(body).sort()).toEqual([
      'application/json',
      'application/yaml',
      'text/plain',
      'text/yaml',
    ]);
    const exported = spec.paths['/api/v1/guidelines/export'].get.responses['200'].content;
    expect(Object.keys(exported)).toEqual(['text/yaml', 'application/json']);
    expect(spec.paths['/api/v1/guidelines/sandbox'].post.responses['200']).toBeDefined();
  });
});
