import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapturing } from '../../test/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matterflow-guidelines-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI against an embedded database in the temp directory, capturing its output. */
const cli = (...args: string[]) => runCliCapturing(['--data', join(dir, 'data'), ...args]);

const FIRM = `# Firm-wide rules
id: firm
client: '*'
name: Firm standards
effective_from: 2026-01-01
rules:
  - { id: entry-cap, kind: max_entry_hours, params: { hours: 8.0 }, severity: warn, owner: timekeeper }
`;

describe('matterflow guidelines', () => {
  it('imports, lists, activates and exports a guideline, exit codes included', async () => {
    const file = join(dir, 'firm.yaml');
    await writeFile(file, FIRM);
    const imported = await cli('guidelines', 'import', file);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toContain('as version 1, draft, 1 rule(s)');

    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, FIRM.replace('severity: warn', 'severity: loud'));
    const invalid = await cli('guidelines', 'import', bad);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(
      /bad\.yaml:7:\d+: rules\[0\]\.severity: severity must be one of/,
    );

    expect((await cli('guidelines', 'export', '*')).code).toBe(2);
    const activated = await cli('guidelines', 'activate', 'firm');
    expect(activated).toMatchObject({ code: 0 });
    expect(activated.stdout).toContain('Activated guideline firm version 1');

    const listed = await cli('guidelines', 'list', '--client', '*', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ key: 'firm', version: 1, status: 'active', rule_count: 1 }),
    ]);

    const out = join(dir, 'out.yaml');
    expect((await cli('guidelines', 'export', '*', '--out', out)).code).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(FIRM);
  }, 180_000);

  it('tries a draft in the sandbox: a report (exit 0), an invalid draft (exit 1), bad usage (exit 2)', async () => {
    const draft = join(dir, 'draft.yaml');
    await writeFile(draft, FIRM.replace('8.0', '4.0'));
    const report = await cli(
      '--json',
      'guidelines',
      'test',
      draft,
      '--from',
      '2026-01-01',
      '--to',
      '2026-12-31',
    );
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({
      guideline: { key: 'firm', client: '*' },
      rules: [{ rule_id: 'entry-cap', active: 0, draft: 0, change: 'kept' }],
      added: [],
      gone: [],
    });

    const bad = join(dir, 'bad-draft.yaml');
    await writeFile(bad, FIRM.replace("client: '*'", 'client: NOBODY'));
    const invalid = await cli(
      'guidelines',
      'test',
      bad,
      '--from',
      '2026-01-01',
      '--to',
      '2026-12-31',
    );
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('bad-draft.yaml:3:9: client: no client with code "NOBODY"');

    expect((await cli('guidelines', 'test', draft, '--from', '2026-01-01')).code).toBe(2);
    expect(
      (await cli('guidelines', 'test', draft, '--from', '2026-02-30', '--to', '2026-03-01')).code,
    ).toBe(2);
  });
});
