import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import {
  buildActiveGuideline,
  buildClient,
  buildExpense,
  buildMatter,
  buildTimeEntry,
} from '../../test/factories.js';
import { runCliCapturing } from '../../test/cli.js';

let dir: string;

/** An embedded database with one client under a guideline: one matter with a block finding, one clean. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matterflow-check-cli-'));
  const database = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'data') });
  try {
    await migrateToLatest(database.db);
    const client = await buildClient(database.db, { client_code: 'CHK' });
    await buildActiveGuideline(
      database.db,
      `
id: chk-ocg
client: CHK
name: Check
effective_from: 2026-01-01
rules:
  - { id: entry-cap, kind: max_entry_hours, params: { hours: 4 }, severity: block, owner: timekeeper }
  - { id: copies, kind: expense_cap, params: { expense_code: E101, max_unit_cost: 0.05 }, severity: warn, owner: billing_coordinator }
`,
      client.id,
    );
    const flagged = await buildMatter(database.db, { client_id: client.id, matter_code: 'CHK-1' });
    await buildMatter(database.db, { client_id: client.id, matter_code: 'CHK-2' });
    await buildTimeEntry(database.db, {
      entry_id: 'CHK-TE-1',
      matter_id: flagged.id,
      work_date: '2026-10-05',
      hours: '5.00',
    });
    await buildExpense(database.db, {
      expense_id: 'CHK-EX-1',
      matter_id: flagged.id,
      expense_date: '2026-10-06',
    });
  } finally {
    await database.close();
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCliCapturing(['--data', join(dir, 'data'), ...args]);

describe('matterflow check', () => {
  it('lists the findings as JSON and exits 1 while a block finding is open', async () => {
    const result = await cli('--json', 'check', '--from', '2026-10-01', '--to', '2026-10-31');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        entity: 'time_entry',
        id: 'CHK-TE-1',
        matter: 'CHK-1',
        rule_id: 'entry-cap',
        kind: 'max_entry_hours',
        severity: 'block',
        owner: 'timekeeper',
        message: expect.stringContaining('4'),
      },
      {
        entity: 'expense',
        id: 'CHK-EX-1',
        matter: 'CHK-1',
        rule_id: 'copies',
        kind: 'expense_cap',
        severity: 'warn',
        owner: 'billing_coordinator',
        message: expect.any(String),
      },
    ]);
  });

  it('prints a summary and exits 0 for a clean matter; 2 for bad dates', async () => {
    const clean = await cli(
      'check',
      '--from',
      '2026-10-01',
      '--to',
      '2026-10-31',
      '--matter',
      'CHK-2',
    );
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('Checked 0 time entries and 0 expenses');
    expect((await cli('check', '--from', '2026-13-01', '--to', '2026-10-31')).code).toBe(2);
    expect((await cli('check', '--from', '2026-10-31', '--to', '2026-10-01')).code).toBe(2);
  });
});
