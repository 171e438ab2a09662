import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { runCliCapturing } from '../../test/cli.js';
import { TestClock } from '../../test/database.js';
import { validateLedes } from '../../domain/ledes/index.js';
import { billCase, markApproved } from './ebilling-fixtures.js';
import { sha256Of } from './export-ledes.js';

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

describe('matterflow ledes export', () => {
  it('writes one invoice to a file and records it; without --out the file goes to stdout', async () => {
    const out = join(dir, 'CLI.txt');
    const run = await cli('ledes', 'export', '--invoice', 'CLI-202610-0001', '--out', out);
    expect(run.code).toBe(0);
    const bytes = await readFile(out);
    expect(validateLedes(bytes.toString('utf8')).valid).toBe(true);
    expect(run.stdout).toBe(
      `CLI-202610-0001: LEDES1998B, ${bytes.byteLength} bytes, sha256 ${sha256Of(bytes)} -> ${out}\n`,
    );
    const piped = await cli('ledes', 'export', '--invoice', 'CLI-202610-0001');
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(bytes.toString('utf8'));
  });

  it('refuses an invoice that fails readiness with its problems and exits 1', async () => {
    const run = await cli(
      'ledes',
      'export',
      '--invoice',
      'CLX-202610-0001',
      '--out',
      join(dir, 'x'),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('[NOT_READY_FOR_EXPORT]');
    expect(run.stderr).toContain('invoice  LAW_FIRM_ID_MISSING');
    await expect(readFile(join(dir, 'x'))).rejects.toThrow();
  });

  it('exports a month: the ready invoices written, the others refused, exit 1', async () => {
    const out = join(dir, 'october');
    const run = await cli('ledes', 'export', '--period', '2026-10', '--out', out);
    expect(run.code).toBe(1);
    expect(await readdir(out)).toEqual(['CLI-202610-0001.txt']);
    expect(run.stdout).toContain('refused CLX-202610-0001:');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('2026-10: 1 exported, 1 refused');
  });

  it('exits 2 on bad usage', async () => {
    expect((await cli('ledes', 'export')).code).toBe(2);
    expect((await cli('ledes', 'export', '--period', '2026-10')).code).toBe(2);
    expect((await cli('ledes', 'export', '--invoice', 'NOPE-1')).code).toBe(2);
  });
});

describe('matterflow ebilling', () => {
  it('records a submission, imports answers (errors by row, exit 1) and reports rejections', async () => {
    const submit = await cli('ebilling', 'submit', 'CLI-202610-0001', '--portal', 'Collaborati');
    expect(submit.code).toBe(0);
    expect(submit.stdout).toMatch(/^CLI-202610-0001: submitted to Collaborati at /);

    const header = 'invoice_number,status,reason_code,reason_text,amount_approved,response_date';
    const bad = join(dir, 'bad.csv');
    await writeFile(
      bad,
      `${header}\nCLI-202610-0001,rejected,BLOCK_BILLING,,,2026-11-20\nCLI-202610-0001,refused,,,,2026-11-20\n`,
    );
    const refused = await cli('ebilling', 'responses', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[EBILLING_RESPONSES_INVALID]');
    expect(refused.stderr).toContain(
      '  row 3, status: must be one of accepted, rejected, reduced, appealed, paid (got "refused")',
    );

    const good = join(dir, 'good.csv');
    await writeFile(
      good,
      `${header}\nCLI-202610-0001,rejected,BLOCK_BILLING,Entry 2,,2026-11-20\n`,
    );
    const imported = await cli('ebilling', 'responses', good);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe(
      `row 2  CLI-202610-0001  rejected  applied  now in_review\n${good}: 1 rows, 1 applied, 0 unchanged\n`,
    );

    const report = await cli('ebilling', 'report', '--from', '2026-11-01', '--to', '2026-11-30');
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(
      'BLOCK_BILLING  1 rejected, 0 reduced (0.00)  would have been caught by rule block_billing  [CLI-202610-0001]',
    );
    const json = await cli(
      '--json',
      'ebilling',
      'report',
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-30',
    );
    expect(JSON.parse(json.stdout)).toMatchObject({ responses: 1, preventable: 1 });
    expect(
      (await cli('ebilling', 'report', '--from', 'yesterday', '--to', '2026-11-30')).code,
    ).toBe(2);
  });

  it('shows the default reason-code map and imports one (exit 1 with line numbers when invalid)', async () => {
    const shown = await cli('ebilling', 'reason-map', 'show');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('  - code: RATE_EXCEEDS_APPROVED\n');
    const bad = join(dir, 'bad-map.yaml');
    await writeFile(bad, 'reasons:\n  - code: X\n    rule_kinds: [nope]\n');
    const refused = await cli('ebilling', 'reason-map', 'import', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 3, reasons[0].rule_kinds[0]: unknown rule kind');
    const good = join(dir, 'map.json');
    await writeFile(good, JSON.stringify({ reasons: [{ code: 'X', rule_kinds: [] }] }));
    const imported = await cli('ebilling', 'reason-map', 'import', good);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe('Reason-code map version 1: 1 reasons.\n');
  });
});
