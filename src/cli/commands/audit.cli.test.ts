import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { appendAuditEvent } from '../../modules/audit/audit.repository.js';
import { runCliCapturing } from '../../test/cli.js';

let dir: string;
let data: string;

/** An embedded database with one audit event on each of three days. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matterflow-audit-cli-'));
  data = join(dir, 'data');
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  try {
    await migrateToLatest(database.db);
    for (const [i, day] of ['2026-11-01', '2026-11-02', '2026-11-03'].entries()) {
      await database.db
        .transaction()
        .execute((trx) =>
          appendAuditEvent(
            trx,
            SYSTEM_ACTOR,
            { action: 'test.cli', entityType: 'client', entityId: i + 1, after: { day } },
            new Date(`${day}T12:00:00Z`),
          ),
        );
    }
  } finally {
    await database.close();
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCliCapturing(['--data', data, ...args]);

describe('matterflow audit', () => {
  it('exports the events of the inclusive days as JSON lines, and exits 2 on bad dates', async () => {
    const file = join(dir, 'audit.jsonl');
    const result = await cli(
      'audit',
      'export',
      '--from',
      '2026-11-02',
      '--to',
      '2026-11-03',
      '--out',
      file,
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Exported 2 audit event(s)');
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { after: { day: string } }).after.day)).toEqual([
      '2026-11-02',
      '2026-11-03',
    ]);

    const bad = await cli('audit', 'export', '--from', '2026-11-31', '--to', '2026-12-01');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from must be a date as YYYY-MM-DD');
    expect((await cli('audit', 'export', '--from', '2026-11-03', '--to', '2026-11-01')).code).toBe(
      2,
    );
  });

  it('exits 0 on an intact trail and 1 with the broken event after tampering', async () => {
    const intact = await cli('audit', 'verify');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^Audit trail intact: 3 events, last hash [0-9a-f]{64}\n$/);

    const database = await openDatabase({ kind: 'pglite', dataDir: data });
    try {
      await sql`alter table audit_event disable trigger audit_event_append_only`.execute(
        database.db,
      );
      await sql`update audit_event set actor = 'someone' where id = 2`.execute(database.db);
    } finally {
      await database.close();
    }
    const broken = await cli('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('Audit trail broken at event 2: hash_mismatch');
    const json = await cli('audit', 'verify', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      events: 2,
      broken_at: { id: 2, reason: 'hash_mismatch' },
    });
  });
});
