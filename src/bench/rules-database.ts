/**
 * (c) and (d) of the rules benchmark on a real database: the synthetic firm loaded through the
 * CSV import, the guideline imported and activated, then `check` (the pre-bill scan keeping
 * exceptions in step) over the month, and the entry-create endpoint's latency under load.
 */
import type { AppContext } from '../config/context.js';
import type { Database } from '../db/database.js';
import { SYSTEM_ACTOR } from '../domain/policy.js';
import { scanWork } from '../modules/compliance/scan.js';
import { importGuideline } from '../modules/guidelines/import-guideline.js';
import { importRecords } from '../modules/import-export/import.service.js';
import type { TableRow } from './bench-table.js';
import { withFreshPglite, withFreshPostgres } from './bench-databases.js';
import type { BenchGuideline } from './rules-guideline.js';
import { measureSaveLatency, type SaveLatency } from './save-latency.js';
import type { SyntheticFirm } from './synthetic-firm.js';
import { syntheticEntries, toEntryRecord } from './synthetic-work.js';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (from: number) => (performance.now() - from) / 1000;

interface CheckFigures {
  loadSeconds: number;
  scanSeconds: number;
  checkSeconds: number;
  recheckSeconds: number;
  findings: number;
  exceptionsOpened: number;
  latency: SaveLatency;
}

/** Imports the firm's reference records and month of entries as the firm's own CSVs would be. */
export async function loadFirm(ctx: AppContext, firm: SyntheticFirm): Promise<void> {
  for (const { kind, records } of firm.referenceRecords()) {
    const summary = await importRecords(ctx, SYSTEM_ACTOR, kind, records);
    if (summary.errors.length > 0) throw new Error(`${kind}: ${JSON.stringify(summary.errors)}`);
  }
  function* records() {
    for (const entry of syntheticEntries(firm)) yield toEntryRecord(entry);
  }
  const summary = await importRecords(ctx, SYSTEM_ACTOR, 'time-entries', records());
  if (summary.inserted !== firm.options.entries) {
    throw new Error(
      `time entries: expected ${firm.options.entries} inserted, got ${JSON.stringify(summary).slice(0, 500)}`,
    );
  }
}

async function measure(
  label: string,
  database: Database,
  firm: SyntheticFirm,
  bench: BenchGuideline,
  expectedFindings: number,
  out: (line: string) => void,
): Promise<CheckFigures> {
  const ctx: AppContext = { db: database.db, now: () => new Date() };
  let started = performance.now();
  await loadFirm(ctx, firm);
  await importGuideline(ctx, SYSTEM_ACTOR, bench.source, { activate: true });
  const loadSeconds = seconds(started);
  const window = { from: firm.period.from, to: firm.period.to };

  started = performance.now();
  const scan = await scanWork(ctx, SYSTEM_ACTOR, window);
  const scanSeconds = seconds(started);
  const entryFindings = scan.findings.filter((f) => f.entity === 'time_entry').length;
  started = performance.now();
  const check = await scanWork(ctx, SYSTEM_ACTOR, window, { sync: true });
  const checkSeconds = seconds(started);
  started = performance.now();
  await scanWork(ctx, SYSTEM_ACTOR, window, { sync: true });
  const recheckSeconds = seconds(started);
  out(
    `(c) ${label}: loaded the firm and activated the guideline in ${loadSeconds.toFixed(1)} s; ` +
      `scan (report only) ${scanSeconds.toFixed(1)} s, ${fmt(scan.entriesChecked)} entries, ${fmt(entryFindings)} findings ` +
      `(in memory: ${fmt(expectedFindings)}${entryFindings === expectedFindings ? ', equal' : ', DIFFERENT'}); ` +
      `check (opens ${fmt(check.exceptionsOpened)} exceptions) ${checkSeconds.toFixed(1)} s; re-check ${recheckSeconds.toFixed(1)} s`,
  );
  const latency = await measureSaveLatency(ctx, firm, out, label);
  return {
    loadSeconds,
    scanSeconds,
    checkSeconds,
    recheckSeconds,
    findings: entryFindings,
    exceptionsOpened: check.exceptionsOpened,
    latency,
  };
}

/** Runs (c) and (d) on PGlite and, when MATTERFLOW_BENCH_DATABASE_URL is set, on PostgreSQL. */
export async function runDatabaseScenarios(
  firm: SyntheticFirm,
  bench: BenchGuideline,
  expectedFindings: number,
  out: (line: string) => void,
): Promise<TableRow[]> {
  const pglite = await withFreshPglite((database) =>
    measure('PGlite', database, firm, bench, expectedFindings, out),
  );
  const serverUrl = process.env.MATTERFLOW_BENCH_DATABASE_URL;
  const postgres = serverUrl
    ? await withFreshPostgres(serverUrl, 10, (database) =>
        measure('PostgreSQL', database, firm, bench, expectedFindings, out),
      )
    : null;
  if (postgres === null) out('PostgreSQL skipped: set MATTERFLOW_BENCH_DATABASE_URL');
  const skipped = 'skipped';
  const entries = fmt(firm.options.entries);
  const checkCell = (f: CheckFigures) =>
    `${f.checkSeconds.toFixed(1)} s (scan only ${f.scanSeconds.toFixed(1)} s, re-check ${f.recheckSeconds.toFixed(1)} s)`;
  return [
    {
      scenario: `(c) check, ${entries} entries`,
      pglite: checkCell(pglite),
      postgres: postgres ? checkCell(postgres) : skipped,
      target: '< 30 s on PostgreSQL',
      baseline: '—',
      ratio: '—',
    },
    {
      scenario: '(d) POST /time-entries at 200 req/s',
      pglite: pglite.latency.summary,
      postgres: postgres ? postgres.latency.summary : skipped,
      target: 'p99 < 10 ms on PostgreSQL',
      baseline: '—',
      ratio: '—',
    },
  ];
}
