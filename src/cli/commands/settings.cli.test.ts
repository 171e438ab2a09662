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
  dir = await mkdtemp(join(tmpdir(), 'matterflow-settings-cli-'));
  data = join(dir, 'data');
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  await migrateToLatest(database.db);
  await database.close();
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCliCapturing(['--data', data, ...args]);

async function stored() {
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  try {
    const rows = await database.db
      .selectFrom('field_visibility')
      .select(['role', 'rates', 'reasons', 'version'])
      .where('role', '=', 'timekeeper')
      .execute();
    const events = await database.db
      .selectFrom('audit_event')
      .select(['action', 'actor', 'entity_id', 'after'])
      .where('entity_type', '=', 'field_visibility')
      .execute();
    return { row: rows[0], events };
  } finally {
    await database.close();
  }
}

describe('matterflow settings field-visibility', () => {
  it('shows the defaults, changes one role with an audit event, and refuses a stale version', async () => {
    const shown = await cli('settings', 'field-visibility', 'show');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/timekeeper\s+hidden\s+hidden\s+1/);
    expect(shown.stdout).toMatch(/approver\s+shown\s+shown\s+1/);

    const set = await cli('settings', 'field-visibility', 'set', 'timekeeper', '--rates', 'yes');
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/timekeeper\s+shown\s+hidden\s+2/);
    const after = await stored();
    expect(after.row).toEqual({ role: 'timekeeper', rates: true, reasons: false, version: 2 });
    expect(after.events).toEqual([
      {
        action: 'field_visibility.update',
        actor: 'system',
        entity_id: 'timekeeper',
        after: { rates: true, reasons: false, version: 2 },
      },
    ]);

    const stale = await cli(
      'settings',
      'field-visibility',
      'set',
      'timekeeper',
      '--reasons',
      'yes',
      '--version',
      '1',
    );
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('version');
    expect((await stored()).row).toMatchObject({ reasons: false, version: 2 });
  });

  it('exits 2 for an unknown role, a bad flag or nothing to change, and writes nothing', async () => {
    for (const args of [
      ['set', 'partner', '--rates', 'yes'],
      ['set', 'timekeeper', '--rates', 'maybe'],
      ['set', 'timekeeper'],
    ]) {
      const run = await cli('settings', 'field-visibility', ...args);
      expect([args.join(' '), run.code]).toEqual([args.join(' '), 2]);
      expect(run.stderr).not.toBe('');
    }
    expect((await stored()).row).toMatchObject({ version: 2 });
  });
});
