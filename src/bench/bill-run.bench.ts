/**
 * `npm run bench -- bill-run`: the bill run over the synthetic firm's month (300,000 released
 * entries on 10,000 matters, the bench guideline active), on PGlite and on PostgreSQL
 * (MATTERFLOW_BENCH_DATABASE_URL), at full size and at a tenth of it, so a memory that grew with
 * the work would show. For each: the time, the peak RSS sampled during the run, and the floor —
 * the time to read the period's released entries with one plain query.
 * MATTERFLOW_BENCH_SCALE scales both sizes down; MATTERFLOW_BENCH_DATABASES=pglite|postgres
 * picks one database.
 */
import { sql } from 'kysely';
import type { AppContext } from '../config/context.js';
import type { Database } from '../db/database.js';
import { SYSTEM_ACTOR } from '../domain/policy.js';
import { importGuideline } from '../modules/guidelines/import-guideline.js';
import { importRecords } from '../modules/import-export/import.service.js';
import { runBillRun } from '../modules/invoices/bill-run.js';
import { selectedDatabases, withFreshPglite, withFreshPostgres } from './bench-databases.js';
import { loadBenchGuideline } from './rules-guideline.js';
import { RULES_BENCH_FIRM, SyntheticFirm, type SyntheticFirmOptions } from './synthetic-firm.js';
import { syntheticEntries, toEntryRecord } from './synthetic-work.js';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const out = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (from: number) => (performance.now() - from) / 1000;
const mb = (bytes: number) => `${fmt(bytes / 1e6)} MB`;

function firmAt(scale: number): SyntheticFirmOptions {
  const scaled = (n: number) => Math.max(1, Math.round(n * scale));
  const base = RULES_BENCH_FIRM;
  return {
    ...base,
    timekeepers: scaled(base.timekeepers),
    matters: Math.max(base.clients, scaled(base.matters)),
    entries: scaled(base.entries),
  };
}

/**
 * Samples the process's RSS and V8 heap in use every 20 ms while `work` runs; returns its
 * result and both peaks. The heap is what JavaScript holds: if the run kept rows it no longer
 * needs, the heap's peak would grow with the work, whatever the allocator does with RSS.
 */
async function withPeakMemory<T>(
  work: () => Promise<T>,
): Promise<{ result: T; peakRss: number; peakHeap: number }> {
  let peakRss = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const timer = setInterval(sample, 20);
  try {
    const result = await work();
    sample();
    return { result, peakRss, peakHeap };
  } finally {
    clearInterval(timer);
  }
}

interface Figures {
  entries: number;
  loadSeconds: number;
  floorSeconds: number;
  runSeconds: number;
  rssBefore: number;
  peakRss: number;
  heapBefore: number;
  peakHeap: number;
  invoices: number;
  exceptionInvoices: number;
}

async function measure(database: Database, options: SyntheticFirmOptions): Promise<Figures> {
  const ctx: AppContext = { db: database.db, now: () => new Date() };
  const firm = new SyntheticFirm(options);
  let started = performance.now();
  for (const { kind, records } of firm.referenceRecords()) {
    const summary = await importRecords(ctx, SYSTEM_ACTOR, kind, records);
    if (summary.errors.length > 0) throw new Error(`${kind}: ${JSON.stringify(summary.errors)}`);
  }
  function* records() {
    for (const entry of syntheticEntries(firm)) yield toEntryRecord(entry);
  }
  const loaded = await importRecords(ctx, SYSTEM_ACTOR, 'time-entries', records(), {
    workStatus: 'released',
  });
  if (loaded.inserted !== options.entries) throw new Error(`loaded ${loaded.inserted} entries`);
  await importGuideline(ctx, SYSTEM_ACTOR, loadBenchGuideline().source, { activate: true });
  const loadSeconds = seconds(started);

  // The floor: reading the period's released entries, the columns the bill run values, once.
  started = performance.now();
  const read = await sql<{ n: number }>`
    select id, matter_id, timekeeper_id, work_date, hours, narrative, task_code, activity_code
    from time_entry
    where status = 'released' and work_date between ${firm.period.from} and ${firm.period.to}`.execute(
    database.db,
  );
  const floorSeconds = seconds(started);
  if (read.rows.length !== options.entries) throw new Error(`read ${read.rows.length} entries`);
  read.rows.length = 0;

  const rssBefore = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  started = performance.now();
  const {
    result: report,
    peakRss,
    peakHeap,
  } = await withPeakMemory(() => runBillRun(ctx, SYSTEM_ACTOR, { period: options.month }));
  const runSeconds = seconds(started);
  // Non-billable time and work on closed matters stays out of a bill run.
  if (report.entries_billed === 0) throw new Error('the bill run billed nothing');
  return {
    entries: report.entries_billed,
    loadSeconds,
    floorSeconds,
    runSeconds,
    rssBefore,
    peakRss,
    heapBefore,
    peakHeap,
    invoices: report.created,
    exceptionInvoices: report.invoices.filter((i) => i.state === 'exception').length,
  };
}

function report(label: string, options: SyntheticFirmOptions, f: Figures): void {
  out(
    `${label}, ${fmt(options.entries)} entries on ${fmt(options.matters)} matters: loaded in ${f.loadSeconds.toFixed(1)} s; ` +
      `bill run ${f.runSeconds.toFixed(1)} s (${fmt(f.entries)} billable entries billed, ${fmt(f.invoices)} invoices, ` +
      `${fmt(f.exceptionInvoices)} in exception); RSS ${mb(f.rssBefore)} before, peak ${mb(f.peakRss)}; ` +
      `JS heap ${mb(f.heapBefore)} before, peak ${mb(f.peakHeap)}; ` +
      `floor (plain select of the period's entries) ${f.floorSeconds.toFixed(2)} s, ratio ${(f.runSeconds / f.floorSeconds).toFixed(0)}×`,
  );
}

export async function runBillRunBench(): Promise<void> {
  const scale = Number(process.env.MATTERFLOW_BENCH_SCALE ?? '1');
  if (!(scale > 0 && scale <= 1)) throw new Error('MATTERFLOW_BENCH_SCALE must be in (0, 1]');
  // The small size first, so the full size's peak cannot hide behind what the small one left.
  const sizes = [firmAt(scale / 10), firmAt(scale)];
  const run = selectedDatabases();
  const serverUrl = process.env.MATTERFLOW_BENCH_DATABASE_URL;
  if (run.pglite)
    for (const options of sizes)
      report('PGlite', options, await withFreshPglite((db) => measure(db, options)));
  if (run.postgres) {
    if (serverUrl === undefined) out('PostgreSQL skipped: set MATTERFLOW_BENCH_DATABASE_URL');
    else
      for (const options of sizes)
        report(
          'PostgreSQL',
          options,
          await withFreshPostgres(serverUrl, 10, (db) => measure(db, options)),
        );
  }
}
