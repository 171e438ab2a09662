import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { EXPORT_PAGE_ROWS, exportCsv } from './export.service.js';
import { loadSampleFirm, SAMPLE_FIRM } from './fixtures/sample-firm.js';
import type { ImportKind } from './import.service.js';
import { IMPORT_COLUMNS, IMPORT_KINDS, importCsv, importRecords } from './import.service.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await loadSampleFirm(t.ctx);
});
afterAll(() => t.close());

async function exported(kind: ImportKind): Promise<string> {
  const output = new PassThrough();
  const done = text(output);
  await exportCsv(t.ctx, SYSTEM_ACTOR, kind, output);
  output.end();
  return done;
}

describe('export', () => {
  it('writes the import header and values in the import format', async () => {
    const csv = await exported('time-entries');
    expect(csv).toBe(
      `${IMPORT_COLUMNS['time-entries'].join(',')}\n` +
        'T-1,2026-001,JDOE,2026-10-01,1.50,"Review complaint, draft answer",L210,A103,yes\n' +
        'T-2,2026-001,RROE,2026-10-02,0.25,Call with client,,A106,no\n' +
        'T-3,2026-001,PPAR,2026-10-02,3.00,"Prepare ""exhibit"" binder",L140,,yes\n',
    );
  });

  it.each(IMPORT_KINDS)(
    'round-trips %s: the export imports back with every row unchanged',
    async (kind) => {
      const csv = await exported(kind);
      const rows =
        SAMPLE_FIRM.find((f) => f.kind === kind)!
          .csv.trim()
          .split('\n').length - 1;
      const summary = await importCsv(t.ctx, SYSTEM_ACTOR, kind, csv);
      expect(summary).toMatchObject({ rows, unchanged: rows, inserted: 0, updated: 0, skipped: 0 });
    },
  );

  it('pages through more rows than one page holds', async () => {
    const count = EXPORT_PAGE_ROWS + 3;
    await importRecords(
      t.ctx,
      SYSTEM_ACTOR,
      'time-entries',
      Array.from({ length: count }, (_, i) => ({
        entry_id: `P-${i}`,
        matter_code: '2026-001',
        timekeeper_code: 'RROE',
        work_date: '2026-10-05',
        hours: '0.1',
        narrative: `Page test ${i}`,
        task_code: '',
        activity_code: '',
        billable: 'yes',
      })),
    );
    const csv = await exported('time-entries');
    expect(csv.trim().split('\n')).toHaveLength(1 + 3 + count);
    const summary = await importCsv(t.ctx, SYSTEM_ACTOR, 'time-entries', csv);
    expect(summary).toMatchObject({ rows: count + 3, unchanged: count + 3 });
  });
});
