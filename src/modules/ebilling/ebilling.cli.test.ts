import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { runCliCapturing } from '../../test/cli.js';
import { TestClock } from '../../test/database.js';
import { billCase, markApproved } from './ebilling-fixtures.js';

let dir: string;
let data: string;

/** An embedded database with two approved October invoices: one ready, one without a law firm id. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matterflow-ebilling-cli-'));
  data = join(dir, 'data');
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  try {
    await migrateToLatest(database.db);
    const ctx = { db: database.db, now: new TestClock().now };
    const ready = await billCase(database.db, ctx, { code: 'CLI' });
    const unready = await billCase(database.db, ctx, {
      code: 'CLX',
      client: { law_firm_id: null },
    });
    await markApproved(database.db, ready.invoiceId);
    await markApproved(database.db, unready.invoiceId);
  } finally {
    await database.close();
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCliCapturing(['--data', data, ...args]);

describe('matterflow ledes readiness', () => {
  it('exits 0 for a ready invoice and lists what it cleaned', async () => {
    const run = await cli('ledes', 'readiness', 'CLI-202610-0001');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'cleaned line 4 LINE_ITEM_DESCRIPTION: "Research | statute of limitations\\nmemo" -> "Research   statute of limitations memo"',
    );
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      'CLI-202610-0001: LEDES1998B, ready (0 errors, 0 warnings)',
    );
  });

  it('exits 1 and names each problem with its owner; --json gives the report', async () => {
    const run = await cli('ledes', 'readiness', 'CLX-202610-0001');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'invoice  LAW_FIRM_ID  error  LAW_FIRM_ID_MISSING  Client CLX has no law firm id (LAW_FIRM_ID)',
    );
    expect(run.stdout).toContain('[owner: legal_ops (nobody assigned)]');
    const json = await cli('--json', 'ledes', 'readiness', 'CLX-202610-0001');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ready: false,
      problems: [{ code: 'LAW_FIRM_ID_MISSING', owner: { role: 'legal_ops', user_id: null } }],
    });
  });

  it('exits 2 for an unknown invoice', async () => {
    expect((await cli('ledes', 'readiness', 'NOPE-1')).code).toBe(2);
  });
});
