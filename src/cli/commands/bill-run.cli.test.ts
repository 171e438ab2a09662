import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import {
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimekeeper,
} from '../../test/factories.js';
import { runCliCapturing } from '../../test/cli.js';

let dir: string;
let data: string;

/** An embedded database with one matter: one entry that has a rate and one that has none. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matterflow-bill-run-cli-'));
  data = join(dir, 'data');
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  try {
    await migrateToLatest(database.db);
    const client = await buildClient(database.db, { client_code: 'ACME' });
    const matter = await buildMatter(database.db, { client_id: client.id, matter_code: 'ACME-1' });
    const rated = await buildTimekeeper(database.db, { standard_rate_cents: null });
    await buildRate(database.db, { timekeeper_id: rated.id, rate_cents: 40000 });
    const unrated = await buildTimekeeper(database.db, { standard_rate_cents: null });
    await buildReleasedEntry(database.db, { matter_id: matter.id, timekeeper_id: rated.id });
    await buildReleasedEntry(database.db, {
      matter_id: matter.id,
      timekeeper_id: unrated.id,
      entry_id: 'NORATE',
    });
  } finally {
    await database.close();
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCliCapturing(['--data', data, ...args]);

describe('matterflow bill-run and invoices', () => {
  it('bills what it can, reports the entry without a rate and exits 1; invoices list and show it', async () => {
    expect((await cli('bill-run', '--period', '2026-13')).code).toBe(2);

    const run = await cli('bill-run', '--period', '2026-10', '--client', 'ACME');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 created');
    expect(run.stdout).toMatch(/NORATE on ACME-1: No USD rate .*\[RATE_NOT_FOUND\]/);

    const json = await cli('--json', 'invoices', 'list', '--period', '2026-10');
    expect(json.code).toBe(0);
    const [invoice] = JSON.parse(json.stdout) as { invoice_number: string; total_cents: number }[];
    expect(invoice).toMatchObject({ total_cents: 60000 });
    expect(invoice!.invoice_number).toMatch(/^ACME-202610-0001$/);

    const show = await cli('invoices', 'show', invoice!.invoice_number);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Total 600.00 USD');
    expect((await cli('invoices', 'show', 'NOPE')).code).toBe(2);
  });
});
