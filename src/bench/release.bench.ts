/**
 * `npm run bench -- release`: month-end release — validated time-entry writes over HTTP under
 * sustained load, the load generator in its own process on the same machine. The synthetic
 * firm (1,000 timekeepers, 10,000 matters, a month of 300,000 entries, the 20-rule guideline
 * active) is loaded first, so every save is judged with real neighbours. Measured: the
 * entry-create endpoint at 200 requests/s (the save-time latency target) and at 1,000
 * requests/s (month-end), on PGlite and, with MATTERFLOW_BENCH_DATABASE_URL, PostgreSQL
 * (MATTERFLOW_BENCH_DATABASES=pglite|postgres picks one).
 */
import type { AppContext } from '../config/context.js';
import type { Database } from '../db/database.js';
import { SYSTEM_ACTOR } from '../domain/policy.js';
import { importGuideline } from '../modules/guidelines/import-guideline.js';
import { laneOf } from '../modules/time-entries/save-lane.js';
import { formatTable, type TableRow } from './bench-table.js';
import { selectedDatabases, withFreshPglite, withFreshPostgres } from './bench-databases.js';
import { loadFirm } from './rules-database.js';
import { loadBenchGuideline } from './rules-guideline.js';
import { LOAD_SECONDS, startSaveServer, type SaveLatency } from './save-latency.js';
import { scaledBenchFirm, SyntheticFirm } from './synthetic-firm.js';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** The rates measured, with the connections autocannon keeps open for each. */
const LOADS = [
  { rate: 200, connections: 10, target: 'p99 < 10 ms on PostgreSQL' },
  { rate: 1000, connections: 50, target: '≥ 1,000/s, p99 < 50 ms on PostgreSQL' },
] as const;

async function measure(label: string, database: Database, firm: SyntheticFirm) {
  const ctx: AppContext = { db: database.db, now: () => new Date() };
  const started = performance.now();
  await loadFirm(ctx, firm);
  await importGuideline(ctx, SYSTEM_ACTOR, loadBenchGuideline().source, { activate: true });
  out(`${label}: firm loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const server = await startSaveServer(ctx, firm);
  const results: SaveLatency[] = [];
  try {
    for (const load of LOADS) {
      const lane = laneOf(database.db).stats;
      const before = { ...lane };
      const result = await server.drive({
        connections: load.connections,
        seconds: LOAD_SECONDS,
        rate: load.rate,
      });
      const batches = lane.batches - before.batches;
      const average = batches > 0 ? result.count / batches : 0;
      out(
        `${label} at ${load.rate}/s: ${result.summary}; ${batches} transactions, ` +
          `${average.toFixed(1)} saves in each on average`,
      );
      results.push(result);
    }
  } finally {
    await server.close();
  }
  return results;
}

export async function runReleaseBench(): Promise<void> {
  const firm = new SyntheticFirm(scaledBenchFirm());
  const run = selectedDatabases();
  const pglite = run.pglite
    ? await withFreshPglite((database) => measure('PGlite', database, firm))
    : [];
  const serverUrl = process.env.MATTERFLOW_BENCH_DATABASE_URL;
  const postgres =
    serverUrl && run.postgres
      ? await withFreshPostgres(serverUrl, 10, (database) => measure('PostgreSQL', database, firm))
      : null;
  if (postgres === null) out('PostgreSQL skipped: set MATTERFLOW_BENCH_DATABASE_URL');
  const cell = (r: SaveLatency | undefined) =>
    r === undefined
      ? 'skipped'
      : `${r.rps.toFixed(0)}/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors`;
  const rows: TableRow[] = LOADS.map((load, i) => ({
    scenario: `POST /time-entries at ${load.rate}/s (${LOAD_SECONDS} s)`,
    pglite: cell(pglite[i]),
    postgres: cell(postgres?.[i]),
    target: load.target,
    baseline: '—',
    ratio: '—',
  }));
  out('');
  out(formatTable(rows));
}
