import { describe, expect, it } from 'vitest';
import { evaluateEntries } from '../domain/guidelines/index.js';
import { buildTimeEntry } from '../domain/guidelines/guideline-factories.js';
import { isValidActivityCode, isValidTaskCode } from '../domain/utbms/utbms.js';
import { IMPORT_COLUMNS } from '../modules/import-export/import.service.js';
import { compileBenchRules, loadBenchGuideline } from './rules-guideline.js';
import { countByRule, evaluateByClient } from './rules-in-memory.js';
import { REFERENCE_KINDS, SyntheticFirm, type SyntheticFirmOptions } from './synthetic-firm.js';
import {
  entryInputsByClient,
  syntheticEntries,
  toEntryInput,
  toEntryRecord,
} from './synthetic-work.js';
import { CLEAN_NARRATIVES, INTERNAL_CONFERENCE } from './synthetic-vocabulary.js';

const SMALL: SyntheticFirmOptions = {
  seed: 7,
  clients: 10,
  timekeepers: 50,
  matters: 200,
  entries: 5_000,
  month: '2026-03',
};

const entryRecords = (options: SyntheticFirmOptions) =>
  [...syntheticEntries(new SyntheticFirm(options))].map(toEntryRecord);

describe('synthetic firm', () => {
  it('generates exactly the requested number of entries, each with its own id', () => {
    const records = entryRecords(SMALL);
    expect(records).toHaveLength(5_000);
    expect(new Set(records.map((r) => r.entry_id)).size).toBe(5_000);
    const firm = new SyntheticFirm(SMALL);
    expect(firm.timekeepers).toHaveLength(50);
    expect(firm.matters).toHaveLength(200);
    expect(firm.clients).toHaveLength(10);
    expect(records.every((r) => r.work_date! >= '2026-03-01' && r.work_date! <= '2026-03-31')).toBe(
      true,
    );
  });

  it('gives the same records for the same seed and different ones for another seed', () => {
    expect(entryRecords(SMALL)).toEqual(entryRecords(SMALL));
    const firm = new SyntheticFirm(SMALL);
    expect(firm.referenceRecords()).toEqual(new SyntheticFirm(SMALL).referenceRecords());
    expect(entryRecords({ ...SMALL, seed: 8 })).not.toEqual(entryRecords(SMALL));
  });

  it('writes records with exactly the import columns, referring only to generated records', () => {
    const firm = new SyntheticFirm(SMALL);
    for (const kind of REFERENCE_KINDS) {
      for (const record of firm.records(kind)) {
        expect(Object.keys(record)).toEqual(IMPORT_COLUMNS[kind]);
      }
    }
    const matters = new Set(firm.records('matters').map((r) => r.matter_code));
    const timekeepers = new Set(firm.records('timekeepers').map((r) => r.timekeeper_code));
    for (const record of entryRecords(SMALL)) {
      expect(Object.keys(record)).toEqual(IMPORT_COLUMNS['time-entries']);
      expect(matters.has(record.matter_code)).toBe(true);
      expect(timekeepers.has(record.timekeeper_code)).toBe(true);
    }
  });

  it('hands the engine the same entries it writes for import', () => {
    const firm = new SyntheticFirm(SMALL);
    const [first] = syntheticEntries(firm);
    const input = toEntryInput(firm, first!);
    const record = toEntryRecord(first!);
    expect(input.id).toBe(record.entry_id);
    expect(input.matterCode).toBe(record.matter_code);
    expect(input.hours / 100).toBe(Number(record.hours));
    expect(input.narrative).toBe(record.narrative);
  });

  it('writes clean narratives that no rule of the bench guideline flags', () => {
    const bench = loadBenchGuideline();
    const compiled = compileBenchRules(bench.guideline, bench.timeEntryRules);
    for (const [task, activity, text] of [...CLEAN_NARRATIVES, INTERNAL_CONFERENCE]) {
      expect(isValidTaskCode(task, 'litigation')).toBe(true);
      expect(isValidActivityCode(activity)).toBe(true);
      const entry = buildTimeEntry({
        narrative: text.replace('{party}', 'Meridian Logistics'),
        taskCode: task,
        activityCode: activity,
        rate: 30000,
      });
      expect(evaluateEntries(compiled, { timeEntries: [entry] })).toEqual([]);
    }
  });

  it('mixes in every kind of problem the cross-entry and narrative rules look for', () => {
    const firm = new SyntheticFirm({ ...SMALL, timekeepers: 200, matters: 500, entries: 20_000 });
    const bench = loadBenchGuideline();
    const compiled = compileBenchRules(bench.guideline, bench.timeEntryRules);
    const period = { start: firm.period.from, end: firm.period.to };
    const counts = countByRule(
      evaluateByClient(compiled, [...entryInputsByClient(firm).values()], period),
    );
    for (const rule of bench.timeEntryRules) {
      if (rule.kind === 'late_entry') continue; // every entry falls in the billed month
      expect(counts.get(rule.id) ?? 0, rule.id).toBeGreaterThan(0);
    }
  });
});
