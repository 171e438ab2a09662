import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { verifyPassword } from '../../modules/auth/password.js';
import { runCliCapturing } from '../../test/cli.js';

let dir: string;
let data: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matterflow-users-cli-'));
  data = join(dir, 'data');
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  await migrateToLatest(database.db);
  await database.close();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI with `input` as standard input (a pipe, not a terminal). */
async function cli(input: string | null, ...args: string[]) {
  const stdin = vi
    .spyOn(process, 'stdin', 'get')
    .mockReturnValue(
      Object.assign(Readable.from(input === null ? [] : [input]), { isTTY: false }) as never,
    );
  try {
    return await runCliCapturing(['--data', data, ...args]);
  } finally {
    stdin.mockRestore();
  }
}

async function storedUser(email: string) {
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  try {
    return await database.db
      .selectFrom('app_user')
      .select(['password_hash', 'active', 'roles'])
      .where('email', '=', email)
      .executeTakeFirst();
  } finally {
    await database.close();
  }
}

describe('matterflow users', () => {
  it('creates the first admin with a password read from standard input, sets it again, lists and disables', async () => {
    const created = await cli(
      'first admin passphrase\n',
      'users',
      'create',
      '--email',
      'ops@firm.test',
      '--name',
      'Olivia Ops',
      '--role',
      'admin',
      '--role',
      'legal_ops',
      '--password-stdin',
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const row = await storedUser('ops@firm.test');
    expect(row?.roles).toEqual(['admin', 'legal_ops']);
    expect(await verifyPassword('first admin passphrase', row?.password_hash ?? '')).toBe(true);

    const reset = await cli(
      'second passphrase!\n',
      'users',
      'set-password',
      'ops@firm.test',
      '--password-stdin',
    );
    expect(reset.code).toBe(0);
    const after = await storedUser('ops@firm.test');
    expect(await verifyPassword('second passphrase!', after?.password_hash ?? '')).toBe(true);

    const list = await cli(null, 'users', 'list');
    expect(list.stdout).toMatch(/ops@firm\.test\s+Olivia Ops\s+admin,legal_ops\s+active/);

    const disabled = await cli(null, 'users', 'disable', 'ops@firm.test');
    expect(disabled.code).toBe(0);
    expect((await storedUser('ops@firm.test'))?.active).toBe(false);
  }, 180_000);

  it('refuses a weak password, a password without a terminal or --password-stdin, and unknown roles', async () => {
    const weak = await cli(
      'short\n',
      'users',
      'create',
      '--email',
      'a@firm.test',
      '--name',
      'A',
      '--role',
      'admin',
      '--password-stdin',
    );
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/password/);
    const piped = await cli(
      'long enough password\n',
      'users',
      'create',
      '--email',
      'b@firm.test',
      '--name',
      'B',
      '--role',
      'admin',
    );
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/--password-stdin/);
    const role = await cli(
      'long enough password\n',
      'users',
      'create',
      '--email',
      'c@firm.test',
      '--name',
      'C',
      '--role',
      'wizard',
      '--password-stdin',
    );
    expect(role.code).toBe(2);
    expect(await storedUser('a@firm.test')).toBeUndefined();
    expect(await storedUser('b@firm.test')).toBeUndefined();
  }, 180_000);
});
