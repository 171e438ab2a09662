import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { csvOf, importRefusal } from './fixtures/csv.js';
import { loadSampleFirm } from './fixtures/sample-firm.js';
import type { ImportKind } from './import.service.js';
import { importCsv } from './import.service.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await loadSampleFirm(t.ctx, 'matter-timekeepers');
});
afterAll(() => t.close());

const entries = (...rows: string[]) => csvOf('time-entries', ...rows);
const refused = (kind: ImportKind, csv: string) => importRefusal(t.ctx, kind, csv);

describe('work status', () => {
  it('keeps imported entries draft with --status draft and never changes a stored status', async () => {
    await importCsv(
      t.ctx,
      SYSTEM_ACTOR,
      'time-entries',
      entries('F-1,2026-001,JDOE,2026-10-01,1,a,,,yes'),
      {
        workStatus: 'draft',
      },
    );
    const draft = await t.db
      .selectFrom('time_entry')
      .selectAll()
      .where('entry_id', '=', 'F-1')
      .executeTakeFirstOrThrow();
    expect(draft).toMatchObject({ status: 'draft', released_at: null });
    await importCsv(
      t.ctx,
      SYSTEM_ACTOR,
      'time-entries',
      entries('F-1,2026-001,JDOE,2026-10-01,2,a,,,yes'),
    );
    const updated = await t.db
      .selectFrom('time_entry')
      .selectAll()
      .where('entry_id', '=', 'F-1')
      .executeTakeFirstOrThrow();
    expect(updated).toMatchObject({ status: 'draft', hours: '2.00', version: 2 });
  });

  it('refuses to change billed work but accepts it unchanged', async () => {
    const line = 'G-1,2026-001,JDOE,2026-10-01,1,billed work,,,yes';
    await importCsv(t.ctx, SYSTEM_ACTOR, 'time-entries', entries(line));
    await t.db
      .updateTable('time_entry')
      .set({ status: 'billed' })
      .where('entry_id', '=', 'G-1')
      .execute();
    const unchanged = await importCsv(t.ctx, SYSTEM_ACTOR, 'time-entries', entries(line));
    expect(unchanged).toMatchObject({ unchanged: 1 });
    const error = await refused('time-entries', entries(line.replace(',1,', ',1.25,')));
    expect(error.details.issues).toEqual([
      {
        row: 2,
        field: 'entry_id',
        message: 'time entry G-1 is billed; its recorded values cannot be changed',
      },
    ]);

    const expense = 'GX-1,2026-001,,2026-10-01,E101,Copies,10,0.10';

    await importCsv(t.ctx, SYSTEM_ACTOR, 'expenses', csvOf('expenses', expense));
    await t.db
      .updateTable('expense')
      .set({ status: 'billed' })
      .where('expense_id', '=', 'GX-1')
      .execute();
    const refusedExpense = await refused(
      'expenses',
      csvOf('expenses', expense.replace(',10,', ',20,')),
    );
    expect(refusedExpense.details.issues).toEqual([
      expect.objectContaining({ row: 2, field: 'expense_id' }),
    ]);
  });
});

describe('rates', () => {
  const rates = (...rows: string[]) => csvOf('rates', ...rows);

  it('refuses overlapping ranges within the file, naming the earlier row', async () => {
    const error = await refused(
      'rates',
      rates('PPAR,,,100,USD,2026-01-01,2026-06-30', 'PPAR,,,110,USD,2026-06-30,'),
    );
    expect(error.details.issues).toEqual([
      {
        row: 3,
        field: 'effective_from',
        message: '2026-06-30 to open end overlaps the rate on row 2 (2026-01-01 to 2026-06-30)',
      },
    ]);
  });

  it('refuses a range overlapping a stored rate, unless the file also closes that rate', async () => {
    await importCsv(t.ctx, SYSTEM_ACTOR, 'rates', rates('PPAR,GLOBEX,,120,EUR,2026-01-01,'));
    const error = await refused('rates', rates('PPAR,GLOBEX,,130,EUR,2027-01-01,'));
    expect(error.details.issues).toEqual([
      expect.objectContaining({
        row: 2,
        message: expect.stringContaining('stored rate from 2026-01-01 to open end'),
      }),
    ]);
    // Another currency is another rate card.
    await importCsv(t.ctx, SYSTEM_ACTOR, 'rates', rates('PPAR,GLOBEX,,140,USD,2027-02-01,'));
    const summary = await importCsv(
      t.ctx,
      SYSTEM_ACTOR,
      'rates',
      rates('PPAR,GLOBEX,,130,EUR,2027-01-01,', 'PPAR,GLOBEX,,120,EUR,2026-01-01,2026-12-31'),
    );
    expect(summary).toMatchObject({ inserted: 1, updated: 1 });
  });

  it('treats a matter rate with or without its client as the same scope, and checks the client', async () => {
    const error = await refused(
      'rates',
      rates(
        'PPAR,,2026-001,90,USD,2026-01-01,',
        'PPAR,ACME,2026-001,95,USD,2026-03-01,',
        'PPAR,GLOBEX,2026-001,95,USD,2026-01-01,',
      ),
    );
    expect(error.details.issues).toEqual([
      expect.objectContaining({ row: 3, field: 'effective_from' }),
      { row: 4, field: 'client_code', message: 'matter 2026-001 belongs to another client' },
    ]);
  });
});

describe('users', () => {
  it('refuses two users linked to one timekeeper', async () => {
    const error = await refused(
      'users',
      csvOf(
        'users',
        'a@firm.test,A,timekeeper,PPAR',
        'b@firm.test,B,timekeeper,PPAR',
        'c@firm.test,C,admin,JDOE',
      ),
    );
    expect(error.details.issues).toEqual([
      { row: 3, field: 'timekeeper_code', message: 'row 2 links timekeeper PPAR' },
      {
        row: 4,
        field: 'timekeeper_code',
        message: 'timekeeper is already linked to user jane@firm.test',
      },
    ]);
  });
});

describe('audit trail', () => {
  it('records one event per import with the counts and the file digest', async () => {
    const csv = entries(
      'H-1,2026-001,JDOE,2026-10-01,1,a,,,yes',
      'H-2,2026-001,JDOE,2026-10-01,1,b,,,yes',
    );
    await importCsv(t.ctx, SYSTEM_ACTOR, 'time-entries', csv);
    const event = await t.db
      .selectFrom('audit_event')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      action: 'import.time-entries',
      entity_type: 'import',
      actor: 'system',
      after: {
        kind: 'time-entries',
        rows: 2,
        inserted: 2,
        updated: 0,
        unchanged: 0,
        skipped: 0,
        sha256: createHash('sha256').update(csv).digest('hex'),
      },
    });
  });
});
