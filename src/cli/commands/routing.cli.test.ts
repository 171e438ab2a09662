import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapturing } from '../../test/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matterflow-routing-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI against an embedded database in the temp directory, capturing its output. */
const cli = (...args: string[]) => runCliCapturing(['--data', join(dir, 'data'), ...args]);

const TABLE = `# Routing
id: firm-routing
name: Firm routing
rules:
  - { id: big, match: { min_amount: '50000.01' }, reviewer: billing_coordinator, approvers: [responsible_attorney, billing_partner] }
default: { reviewer: billing_coordinator, approvers: [responsible_attorney] }
`;

describe('matterflow routing', () => {
  it('imports, lists, activates, exports and resolves, exit codes included', async () => {
    const file = join(dir, 'routing.yaml');
    await writeFile(file, TABLE);
    const imported = await cli('routing', 'import', file);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toContain('as version 1, draft, 1 rule(s)');

    const bad = join(dir, 'bad.yaml');
    await writeFile(
      bad,
      TABLE.replace('reviewer: billing_coordinator,', 'reviewer: user:x@nowhere.test,'),
    );
    const invalid = await cli('routing', 'import', bad);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/bad\.yaml:5:\d+: rules\[0\]\.reviewer: no active user/);

    expect((await cli('routing', 'export')).code).toBe(2);
    expect((await cli('routing', 'activate', 'firm-routing', '--version', 'x')).code).toBe(2);
    const activated = await cli('routing', 'activate', 'firm-routing');
    expect(activated).toMatchObject({ code: 0 });
    expect(activated.stdout).toContain('Activated routing table firm-routing version 1');

    const listed = await cli('--json', 'routing', 'list');
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ key: 'firm-routing', version: 1, status: 'active' }),
    ]);
    const out = join(dir, 'out.yaml');
    expect((await cli('routing', 'export', '--out', out)).code).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(TABLE);

    expect((await cli('routing', 'resolve', '--matter', 'NONE', '--amount', '1')).code).toBe(2);
    expect((await cli('routing', 'resolve', '--matter', 'NONE', '--amount', 'abc')).code).toBe(2);
  }, 180_000);
});
