import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { runCliCapturing } from '../../test/cli.js';

let dir: string;
let data: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matterflow-calendar-cli-'));
  data = join(dir, 'data');
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  await migrateToLatest(database.db);
  await database.close();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCliCapturing(['--data', data, ...args]);

describe('matterflow calendar holidays', () => {
  it('adds, lists and removes holidays, with exit codes for bad input', async () => {
    const added = await cli('calendar', 'holidays', 'add', '2026-12-24', 'Christmas Eve');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe('Added 2026-12-24 Christmas Eve.\n');
    expect((await cli('calendar', 'holidays', 'add', '2026-12-24', 'Again')).code).toBe(1);
    const bad = await cli('calendar', 'holidays', 'add', '2026-13-01', 'Nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('YYYY-MM-DD');

    const listed = await cli('--json', 'calendar', 'holidays', 'list', '--from', '2026-12-01');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { date: '2026-12-24', name: 'Christmas Eve', source: 'database' },
    ]);

    expect((await cli('calendar', 'holidays', 'remove', '2026-12-24')).code).toBe(0);
    expect((await cli('calendar', 'holidays', 'remove', '2026-12-24')).code).toBe(2);
    const empty = await cli('calendar', 'holidays', 'list');
    expect(empty.stdout).toBe('0 holiday(s).\n');

    const audit = await cli('--json', 'audit', 'verify');
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
  }, 180_000);
});
