import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapturing } from '../../test/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matterflow-demo-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI against an embedded database in the temp directory, capturing its output. */
const cli = (...args: string[]) => runCliCapturing(['--data', join(dir, 'data'), ...args]);

describe('matterflow demo', () => {
  it('exits 2 on a bad seed or day, before touching the database', async () => {
    const seed = await cli('demo', '--seed', 'abc');
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain('--seed must be a whole number');
    const today = await cli('demo', '--today', '2026-02-30');
    expect(today.code).toBe(2);
    expect(today.stderr).toContain('--today must be a date as YYYY-MM-DD');
  });

  it('refuses a database that already holds a firm', async () => {
    const file = join(dir, 'clients.csv');
    await writeFile(
      file,
      'client_code,name,currency,ebilling_format,ebilling_client_id,law_firm_id\nACME,Acme Corp,USD,none,,\n',
    );
    expect((await cli('import', 'clients', file)).code).toBe(0);
    const refused = await cli('demo');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already has 1 client(s)');
    expect(refused.stdout).toBe('');
  }, 180_000);
});
