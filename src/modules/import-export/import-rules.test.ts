import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/policy.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { CHUNK_ROWS } from './engine.js';
import { csvOf, importRefusal } from './fixtures/csv.js';
import { loadSampleFirm } from './fixtures/sample-firm.js';
import type { ImportKind, ImportOptions } from './import.service.js';
import { importCsv, importRecords } from './import.service.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await loadSampleFirm(t.ctx, 'matter-timekeepers');
});
afterAll(() => t.close());

const entries = (...rows: string[]) => csvOf('time-entries', ...rows);
const refused = (kind: ImportKind, csv: string, options?: ImportOptions) =>
  importRefusal(t.ctx, kind, csv, options);

const countEntries = async (prefix: string) =>
  (
    await t.db
      .selectFrom('time_entry')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('entry_id', 'like', `${prefix}%`)
      .executeTakeFirstOrThrow()
  ).n;

describe('row checks', () => {
  it('reports every problem of every row, with row numbers counted from the header', async () => {
    const error = await refused(
      'time-entries',
      entries(
        'A-1,2026-001,JDOE,2026-10-01,1,ok,,,yes',
        'A-2,NOPE,JDOE,2026-02-30,-1,bad,L 1,,maybe',
        'A-1,2026-001,JDOE,2026-10-01,2,dup,,,no',
        'A-4,2026-001,NOBODY,2026-10-01,24.01,too long,,,no',
        'A-5,2026-001,JDOE,2026-10-01,0,zero,,,no',
      ),
    );
    expect(error.code).toBe('IMPORT_INVALID');
    expect(error.message).toBe('4 invalid row(s) in time-entries: nothing was imported.');
    expect(error.details.issues).toEqual([
      { row: 3, field: 'work_date', message: expect.stringContaining('"2026-02-30" is not') },
      { row: 3, field: 'hours', message: '-1 must be greater than 0' },
      { row: 3, field: 'task_code', message: expect.stringContaining('"L 1"') },
      { row: 3, field: 'billable', message: '"maybe" is not yes or no' },
      { row: 4, field: 'entry_id', message: expect.stringContaining('duplicate: row 2') },
      { row: 5, field: 'hours', message: '24.01 must be at most 24' },
      { row: 6, field: 'hours', message: '0 must be greater than 0' },
    ]);
    expect(await countEntries('A-')).toBe(0);
  });

  it('reports unknown references once the row is otherwise valid', async () => {
    const error = await refused('time-entries', entries('B-1,NOPE,NOBODY,2026-10-01,1,x,,,yes'));
    expect(error.details.issues).toEqual([
      { row: 2, field: 'matter_code', message: 'unknown matter "NOPE"' },
      { row: 2, field: 'timekeeper_code', message: 'unknown timekeeper "NOBODY"' },
    ]);
  });

  it('refuses text the database cannot store', async () => {
    const error = await refused(
      'time-entries',
      entries('NUL-1,2026-001,JDOE,2026-10-01,1,a\u0000b,,,yes'),
    );
    expect(error.details.issues).toEqual([
      { row: 2, field: 'narrative', message: 'must not contain NUL characters' },
    ]);
  });

  it('refuses a row with more or fewer cells than the header', async () => {
    const error = await refused(
      'time-entries',
      entries('C-1,2026-001,JDOE,2026-10-01,1,x,,,yes,extra'),
    );
    expect(error.details.issues).toEqual([
      { row: 2, field: '(row)', message: 'has 10 cells; the header has 9' },
    ]);
  });

  it('refuses a header with an extra or a missing column, naming them', async () => {
    const extra = await refused(
      'clients',
      'client_code,name,currency,ebilling_format,ebilling_client_id,law_firm_id,notes\n',
    );
    expect(extra.code).toBe('IMPORT_BAD_HEADER');
    expect(extra.details.extra).toEqual(['notes']);
    expect(extra.message).toContain('unknown column(s) notes');
    const missing = await refused('clients', 'client_code,currency,name,law_firm_id\nX,USD,X,\n');
    expect(missing.code).toBe('IMPORT_BAD_HEADER');
    expect(missing.details.missing).toEqual(['ebilling_format', 'ebilling_client_id']);
  });

  it('checks the header of records handed to importRecords too', async () => {
    const error = await importRecords(t.ctx, SYSTEM_ACTOR, 'clients', [{ client_code: 'X' }]).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'IMPORT_BAD_HEADER' });
  });

  it('rolls back the chunks already written when a later chunk has an invalid row', async () => {
    const rows = Array.from(
      { length: CHUNK_ROWS + 10 },
      (_, i) => `D-${i},2026-001,RROE,2026-10-01,0.1,bulk,,,yes`,
    );
    rows.push('D-last,2026-001,RROE,2026-13-01,0.1,bulk,,,yes');
    const error = await refused('time-entries', entries(...rows));
    expect(error.details.issues).toEqual([expect.objectContaining({ row: CHUNK_ROWS + 12 })]);
    expect(await countEntries('D-')).toBe(0);
  });

  it('refuses an actor whose roles do not allow the import', async () => {
    const approver: Actor = { ...SYSTEM_ACTOR, roles: ['approver'], via: 'session' };
    const error = await importCsv(t.ctx, approver, 'clients', 'x').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'forbidden', code: 'IMPORT_FORBIDDEN' });
  });
});

describe('free text', () => {
  it('stores narratives exactly as written, whatever characters they hold', async () => {
    const narratives = [
      'NULL',
      '',
      'back\\slash and "quotes", {braces}',
      'two\nlines',
      '  padded  ',
      'Überprüfung – 審査 ✓',
    ];
    const summary = await importRecords(
      t.ctx,
      SYSTEM_ACTOR,
      'time-entries',
      narratives.map((narrative, i) => ({
        entry_id: `N-${i}`,
        matter_code: '2026-001',
        timekeeper_code: 'JDOE',
        work_date: '2026-10-01',
        hours: '1',
        narrative,
        task_code: '',
        activity_code: '',
        billable: 'yes',
      })),
    );
    expect(summary.inserted).toBe(narratives.length);
    const stored = await t.db
      .selectFrom('time_entry')
      .select('narrative')
      .where('entry_id', 'like', 'N-%')
      .orderBy('id')
      .execute();
    expect(stored.map((r) => r.narrative)).toEqual(narratives);
  });
});

describe('--skip-invalid', () => {
  it('writes the valid rows and reports the others', async () => {
    const summary = await importCsv(
      t.ctx,
      SYSTEM_ACTOR,
      'time-entries',
      entries(
        'E-1,2026-001,JDOE,2026-10-01,1,ok,,,yes',
        'E-2,2026-001,JDOE,2026-10-01,-2,negative,,,yes',
        'E-3,2026-001,JDOE,2026-10-01,2,ok,,,yes',
        'E-3,2026-001,JDOE,2026-10-01,3,duplicate,,,yes',
      ),
      { skipInvalid: true },
    );
    expect(summary).toMatchObject({ rows: 4, inserted: 2, skipped: 2 });
    expect(summary.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'hours'],
      [5, 'entry_id'],
    ]);
    expect(await countEntries('E-')).toBe(2);
  });
});
