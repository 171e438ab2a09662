import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapturing } from '../../test/cli.js';
import { sampleCsv } from './fixtures/sample-firm.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matterflow-import-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI against an embedded database in the temp directory, capturing its output. */
const cli = (...args: string[]) => runCliCapturing(['--data', join(dir, 'data'), ...args]);

describe('matterflow import and export', () => {
  it('imports, reports re-imports as unchanged, and exits 1 on invalid rows', async () => {
    const file = join(dir, 'clients.csv');
    await writeFile(file, sampleCsv('clients'));
    const first = await cli('import', 'clients', file);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('2 inserted, 0 updated, 0 unchanged, 0 skipped');

    const again = await cli('--json', 'import', 'clients', file);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ kind: 'clients', unchanged: 2, errors: [] });

    const bad = join(dir, 'bad.csv');
    await writeFile(bad, sampleCsv('clients').replace('EUR', 'euro').replace('ACME,', 'NEW,'));
    const invalid = await cli('import', 'clients', bad);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('Nothing imported');
    expect(invalid.stderr).toContain('row 3, currency: "euro" is not a currency code');

    const skipped = await cli('--json', 'import', 'clients', bad, '--skip-invalid');
    expect(skipped.code).toBe(1);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ inserted: 1, skipped: 1 });

    const out = join(dir, 'export.csv');
    const exported = await cli('export', 'clients', '--out', out);
    expect(exported.code).toBe(0);
    expect((await readFile(out, 'utf8')).split('\n')[0]).toBe(
      'client_code,name,currency,ebilling_format,ebilling_client_id,law_firm_id',
    );
  }, 180_000);

  it('exits 2 for an unknown kind, an unreadable file and a bad header', async () => {
    const unknown = await cli('import', 'invoices', 'x.csv');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown kind "invoices"');
    expect((await cli('import', 'clients', join(dir, 'missing.csv'))).code).toBe(2);
    const header = join(dir, 'header.csv');
    await writeFile(header, 'client_code,name\nX,Y\n');
    const badHeader = await cli('import', 'clients', header);
    expect(badHeader.code).toBe(2);
    expect(badHeader.stderr).toContain('missing column(s) currency, ebilling_format');
  });
});
