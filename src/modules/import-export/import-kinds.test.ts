import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../domain/errors.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { SAMPLE_FIRM } from './fixtures/sample-firm.js';
import type { ImportKind } from './import.service.js';
import { importCsv } from './import.service.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(() => t.close());

interface KindCase {
  table: keyof DB;
  /** Orders rows so that version snapshots compare. */
  orderBy: string;
  /** Text replaced to change exactly one row. */
  change: [string, string];
  /** Text replaced to break one cell, and where the error must point. */
  malformed: [string, string, { row: number; field: string }];
  /** Checks stored values after the first import. */
  stored: () => Promise<void>;
}

const idOf = async (table: 'timekeeper' | 'client', code: string) =>
  (
    await sql<{
      id: number;
    }>`select id from ${sql.table(table)} where ${sql.ref(`${table}_code`)} = ${code}`.execute(t.db)
  ).rows[0]!.id;

const CASES: Record<ImportKind, KindCase> = {
  clients: {
    table: 'client',
    orderBy: 'id',
    change: ['Acme Insurance', 'Acme Insurance Co.'],
    malformed: [
      'ACME,Acme Insurance,USD',
      'ACME,Acme Insurance,usd',
      { row: 2, field: 'currency' },
    ],
    stored: async () => {
      const rows = await t.db.selectFrom('client').selectAll().orderBy('id').execute();
      expect(rows).toMatchObject([
        { client_code: 'ACME', ebilling_format: 'LEDES1998B', ebilling_client_id: 'ACME-01' },
        { client_code: 'GLOBEX', name: 'Globex Corporation, Inc.', ebilling_client_id: null },
      ]);
    },
  },
  timekeepers: {
    table: 'timekeeper',
    orderBy: 'id',
    change: ['325.5', '335.00'],
    malformed: ['PPAR,Pat,Lee,PL', 'PPAR,Pat,Lee,XX', { row: 4, field: 'classification' }],
    stored: async () => {
      const rows = await t.db.selectFrom('timekeeper').selectAll().orderBy('id').execute();
      expect(rows).toMatchObject([
        { timekeeper_code: 'JDOE', classification: 'PT', standard_rate_cents: 65000 },
        { timekeeper_code: 'RROE', email: null, standard_rate_cents: 32550, practice_group: null },
        { timekeeper_code: 'PPAR', standard_rate_cents: null },
      ]);
    },
  },
  users: {
    table: 'app_user',
    orderBy: 'id',
    change: ['Bea Biller', 'Bea Biller-Smith'],
    malformed: [
      'Bea Biller,billing_coordinator',
      'Bea Biller,billing_coordinator;boss',
      { row: 3, field: 'roles' },
    ],
    stored: async () => {
      const rows = await t.db.selectFrom('app_user').selectAll().orderBy('id').execute();
      expect(rows).toMatchObject([
        {
          email: 'jane@firm.test',
          roles: ['approver', 'timekeeper'],
          timekeeper_id: await idOf('timekeeper', 'JDOE'),
          password_hash: null,
        },
        { email: 'billing@firm.test', roles: ['billing_coordinator'], timekeeper_id: null },
      ]);
    },
  },
  matters: {
    table: 'matter',
    orderBy: 'id',
    change: ['50000.00', '60000.00'],
    malformed: ['2026-01-05', '2026-02-30', { row: 2, field: 'opened_on' }],
    stored: async () => {
      const rows = await t.db.selectFrom('matter').selectAll().orderBy('id').execute();
      expect(rows).toMatchObject([
        { matter_code: '2026-001', budget_cents: 5_000_000, restricted: false, status: 'open' },
        {
          matter_code: '2026-002',
          client_id: await idOf('client', 'GLOBEX'),
          fee_amount_cents: 2_500_000,
          billing_partner_id: await idOf('timekeeper', 'RROE'),
          closed_on: '2026-06-30',
          restricted: true,
        },
      ]);
    },
  },
  'matter-timekeepers': {
    table: 'matter_timekeeper',
    orderBy: 'matter_id, timekeeper_id',
    change: ['2026-001,RROE,', '2026-001,RROE,310'],
    malformed: ['JDOE,600.00', 'JDOE,-600.00', { row: 2, field: 'approved_rate' }],
    stored: async () => {
      const rows = await t.db.selectFrom('matter_timekeeper').selectAll().execute();
      expect(rows.map((r) => r.approved_rate_cents).sort()).toEqual([60000, null]);
    },
  },
  rates: {
    table: 'rate',
    orderBy: 'id',
    change: ['JDOE,,,650.00', 'JDOE,,,675.00'],
    malformed: ['2026-001,300,USD', '2026-001,3x0,USD', { row: 4, field: 'rate' }],
    stored: async () => {
      const rows = await t.db.selectFrom('rate').selectAll().orderBy('id').execute();
      expect(rows).toMatchObject([
        { client_id: null, matter_id: null, rate_cents: 65000, effective_to: null },
        { client_id: await idOf('client', 'ACME'), effective_to: '2026-12-31' },
        { rate_cents: 30000, effective_from: '2026-01-01' },
      ]);
    },
  },
  'time-entries': {
    table: 'time_entry',
    orderBy: 'id',
    change: ['Call with client', 'Call with client about settlement'],
    malformed: ['0.25', '-0.25', { row: 3, field: 'hours' }],
    stored: async () => {
      const rows = await t.db.selectFrom('time_entry').selectAll().orderBy('id').execute();
      expect(rows).toMatchObject([
        { entry_id: 'T-1', hours: '1.50', narrative: 'Review complaint, draft answer' },
        { entry_id: 'T-2', hours: '0.25', task_code: null, billable: false },
        { entry_id: 'T-3', narrative: 'Prepare "exhibit" binder', billable: true },
      ]);
      for (const row of rows) {
        expect(row.status).toBe('released');
        expect(row.released_at).toEqual(t.clock.now());
      }
    },
  },
  expenses: {
    table: 'expense',
    orderBy: 'id',
    change: ['Courier', 'Courier (same day)'],
    malformed: ['2026-10-04', '10/04/2026', { row: 3, field: 'expense_date' }],
    stored: async () => {
      const rows = await t.db.selectFrom('expense').selectAll().orderBy('id').execute();
      expect(rows).toMatchObject([
        { expense_id: 'X-1', quantity: '100.00', unit_cost_cents: 10, amount_cents: 1000 },
        { expense_id: 'X-2', timekeeper_id: null, amount_cents: 4500, status: 'released' },
      ]);
    },
  },
};

async function versions(kindCase: KindCase): Promise<number[]> {
  const result = await sql<{
    version: number;
  }>`select version from ${sql.table(kindCase.table)} order by ${sql.raw(kindCase.orderBy)}`.execute(
    t.db,
  );
  return result.rows.map((r) => r.version);
}

// The kinds run in the order a firm loads them, each building on the ones before.
describe.each(SAMPLE_FIRM)('importing $kind', ({ kind, csv }) => {
  const kindCase = CASES[kind];
  const rowCount = csv.trim().split('\n').length - 1;

  it('imports a valid file', async () => {
    const summary = await importCsv(t.ctx, SYSTEM_ACTOR, kind, csv);
    expect(summary).toEqual({
      kind,
      rows: rowCount,
      inserted: rowCount,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      errors: [],
    });
    await kindCase.stored();
  });

  it('reports every row unchanged on re-import and leaves versions alone', async () => {
    const before = await versions(kindCase);
    const summary = await importCsv(t.ctx, SYSTEM_ACTOR, kind, csv);
    expect(summary).toMatchObject({ inserted: 0, updated: 0, unchanged: rowCount, skipped: 0 });
    expect(await versions(kindCase)).toEqual(before);
  });

  it('updates a changed row and bumps its version', async () => {
    const [from, to] = kindCase.change;
    expect(csv).toContain(from);
    t.clock.advance(60_000);
    const summary = await importCsv(t.ctx, SYSTEM_ACTOR, kind, csv.replace(from, to));
    expect(summary).toMatchObject({ inserted: 0, updated: 1, unchanged: rowCount - 1 });
    expect((await versions(kindCase)).sort()).toEqual([...Array(rowCount - 1).fill(1), 2]);
  });

  it('writes nothing when one row is malformed and names its row and column', async () => {
    const [from, to, where] = kindCase.malformed;
    expect(csv).toContain(from);
    const before = await versions(kindCase);
    // The file also reverts the row changed above; that valid change must not be written either.
    const broken = csv.replace(from, to);
    const error = await importCsv(t.ctx, SYSTEM_ACTOR, kind, broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'validation', code: 'IMPORT_INVALID' });
    const details = (error as AppError).details as { issues: unknown[] };
    expect(details.issues).toEqual([expect.objectContaining(where)]);
    expect(await versions(kindCase)).toEqual(before);
  });
});
