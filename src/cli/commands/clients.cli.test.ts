import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { runCliCapturing } from '../../test/cli.js';
import { buildClient, buildUser } from '../../test/factories.js';

let dir: string;
let data: string;
let approverEmail: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matterflow-clients-cli-'));
  data = join(dir, 'data');
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  try {
    await migrateToLatest(database.db);
    await buildClient(database.db, { client_code: 'ACME', name: 'Acme Corp' });
    approverEmail = (await buildUser(database.db, { roles: ['approver'] })).email;
  } finally {
    await database.close();
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCliCapturing(['--data', data, ...args]);

async function clientRow() {
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  try {
    return await database.db
      .selectFrom('client')
      .selectAll()
      .where('client_code', '=', 'ACME')
      .executeTakeFirstOrThrow();
  } finally {
    await database.close();
  }
}

describe('matterflow clients ebilling-profile', () => {
  it('sets the profile from options and shows it', async () => {
    const run = await cli(
      'clients',
      'ebilling-profile',
      'ACME',
      '--format',
      '98BI',
      '--portal',
      'Collaborati',
      '--client-id',
      'ACME-PORTAL',
      '--law-firm-id',
      '12-3456789',
      '--classification',
      'revised',
      '--classification-map',
      'PL=PARLGL',
      '--tax-rate',
      '0.20',
      '--tax-type',
      'VAT',
      '--address-1',
      '500 Fifth Avenue',
      '--city',
      'New York',
      '--country',
      'usa',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await clientRow()).toMatchObject({
      ebilling_format: 'LEDES98BI',
      ebilling_portal: 'Collaborati',
      ebilling_client_id: 'ACME-PORTAL',
      law_firm_id: '12-3456789',
      ledes_classification_codes: 'revised',
      ledes_classification_map: { PL: 'PARLGL' },
      tax_rate: '0.20',
      tax_type: 'VAT',
      billing_address_1: '500 Fifth Avenue',
      billing_city: 'New York',
      billing_country: 'USA',
      version: 2,
    });
    const shown = await cli('clients', 'ebilling-profile', 'ACME');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(
      [
        'ACME  Acme Corp  version 2',
        '  format          LEDES98BI',
        '  portal          Collaborati',
        '  client id       ACME-PORTAL',
        '  law firm id     12-3456789',
        '  classification  revised (PL=PARLGL)',
        '  tax             0.20 VAT',
        '  billing address 500 Fifth Avenue, New York, USA',
        '',
      ].join('\n'),
    );
    const json = await cli('--json', 'clients', 'ebilling-profile', 'ACME');
    expect(JSON.parse(json.stdout)).toMatchObject({ client_code: 'ACME', tax_rate: '0.20' });
  });

  it('exits 1 naming each refused option, and changes nothing', async () => {
    const run = await cli(
      'clients',
      'ebilling-profile',
      'ACME',
      '--format',
      'XML',
      '--tax-rate',
      '20%',
      '--country',
      'United States',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('EBILLING_PROFILE_INVALID');
    expect(run.stderr).toContain('--format');
    expect(run.stderr).toContain('--tax-rate');
    expect(run.stderr).toContain('--country');
    expect(await clientRow()).toMatchObject({ tax_rate: '0.20', version: 2 });
  });

  it('exits 1 for a stale --version, 2 for an unknown client or a malformed version', async () => {
    const stale = await cli(
      'clients',
      'ebilling-profile',
      'ACME',
      '--tax-type',
      'GST',
      '--version',
      '1',
    );
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('STALE_VERSION');
    expect((await cli('clients', 'ebilling-profile', 'NOPE')).code).toBe(2);
    expect((await cli('clients', 'ebilling-profile', 'ACME', '--version', 'x')).code).toBe(2);
    expect(await clientRow()).toMatchObject({ tax_type: 'VAT', version: 2 });
  });

  it('refuses a user whose roles may not change the profile', async () => {
    const run = await cli(
      'clients',
      'ebilling-profile',
      'ACME',
      '--tax-type',
      'GST',
      '--as',
      approverEmail,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('FORBIDDEN');
    expect(await clientRow()).toMatchObject({ tax_type: 'VAT', version: 2 });
  });
});

describe('matterflow firm profile', () => {
  it('sets and shows the firm name and address', async () => {
    const run = await cli(
      'firm',
      'profile',
      '--name',
      'Arnsley & Beaster LLP',
      '--address-1',
      '1 Fleet Street',
      '--city',
      'London',
      '--country',
      'GBR',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'Arnsley & Beaster LLP  version 2\n  address 1 Fleet Street, London, GBR\n',
    );
    const bad = await cli('firm', 'profile', '--country', 'UK');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--country');
  });
});
