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
  buildUser,
} from '../../test/factories.js';
import { runCliCapturing } from '../../test/cli.js';

let dir: string;
let data: string;
let coordinator: string;
let approver: string;

/** An embedded database with one matter, its coordinator and approver, and one released entry. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matterflow-invoices-cli-'));
  data = join(dir, 'data');
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  try {
    await migrateToLatest(database.db);
    const client = await buildClient(database.db, { client_code: 'BETA' });
    const partner = await buildTimekeeper(database.db, { classification: 'PT' });
    approver = (await buildUser(database.db, { roles: ['approver'], timekeeper_id: partner.id }))
      .email;
    const coordinatorUser = await buildUser(database.db, { roles: ['billing_coordinator'] });
    coordinator = coordinatorUser.email;
    const matter = await buildMatter(database.db, {
      client_id: client.id,
      matter_code: 'BETA-1',
      client_matter_id: 'B-77',
      responsible_attorney_id: partner.id,
      billing_coordinator_id: coordinatorUser.id,
    });
    const timekeeper = await buildTimekeeper(database.db, { standard_rate_cents: null });
    await buildRate(database.db, { timekeeper_id: timekeeper.id, rate_cents: 30000 });
    await buildReleasedEntry(database.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
  } finally {
    await database.close();
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCliCapturing(['--data', data, ...args]);

describe('matterflow invoices transition and history', () => {
  it('moves an invoice as a named user, refuses what the workflow refuses, and shows the history', async () => {
    expect((await cli('bill-run', '--period', '2026-10')).code).toBe(0);
    const number = 'BETA-202610-0001';

    expect((await cli('invoices', 'transition', number, '--to', 'sideways')).code).toBe(2);
    expect((await cli('invoices', 'transition', 'NOPE-1', '--to', 'in_review')).code).toBe(2);
    expect(
      (await cli('invoices', 'transition', number, '--to', 'in_review', '--as', 'nobody@x.test'))
        .code,
    ).toBe(2);
    // The operator holds legal ops and admin roles; starting a review is the coordinator's move.
    const operator = await cli('invoices', 'transition', number, '--to', 'in_review');
    expect(operator.code).toBe(2);
    expect(operator.stderr).toContain('[ROLE_NOT_ALLOWED]');

    const review = await cli(
      'invoices',
      'transition',
      number,
      '--to',
      'in_review',
      '--as',
      coordinator,
    );
    expect(review.code).toBe(0);
    expect(review.stdout).toMatch(/^BETA-202610-0001 {2}in_review {2}owner billing_coordinator/);

    const stale = await cli(
      'invoices',
      'transition',
      number,
      '--to',
      'ready_for_approval',
      '--version',
      '1',
      '--as',
      coordinator,
    );
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('[STALE_VERSION]');

    const ready = await cli(
      '--json',
      'invoices',
      'transition',
      number,
      '--to',
      'ready_for_approval',
      '--as',
      coordinator,
    );
    expect(ready.code).toBe(0);
    expect(JSON.parse(ready.stdout)).toMatchObject({
      state: 'ready_for_approval',
      approval_level: 1,
    });

    const noReason = await cli(
      'invoices',
      'transition',
      number,
      '--to',
      'in_review',
      '--as',
      approver,
    );
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toContain('[REASON_REQUIRED]');
    const back = await cli(
      'invoices',
      'transition',
      number,
      '--to',
      'in_review',
      '--reason',
      'split the block entries',
      '--as',
      approver,
    );
    expect(back.code).toBe(0);

    const history = await cli('invoices', 'history', number);
    expect(history.code).toBe(0);
    expect(history.stdout).toContain('(new) -> draft');
    expect(history.stdout).toMatch(
      /ready_for_approval -> in_review .*\[transition\] rework {2}"split the block entries"/,
    );
    expect(history.stdout).toContain('invoice.transition');

    const json = await cli('--json', 'invoices', 'history', number);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      invoice_number: string;
      stage_events: { to_state: string; rework: boolean }[];
    };
    expect(parsed.invoice_number).toBe(number);
    expect(parsed.stage_events.map((e) => [e.to_state, e.rework])).toEqual([
      ['draft', false],
      ['in_review', false],
      ['ready_for_approval', false],
      ['in_review', true],
    ]);
    expect((await cli('invoices', 'history', 'NOPE-1')).code).toBe(2);
    // Each command opens the embedded database afresh; a dozen of them need more than the default.
  }, 180_000);
});
