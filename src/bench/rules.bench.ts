/**
 * `npm run bench -- rules`: the guideline engine on a synthetic firm's month of 300,000 time
 * entries — (a) in memory, (b) against json-rules-engine on the rules both can express,
 * (c) end to end on PGlite and PostgreSQL, (d) save-time latency of the entry-create endpoint.
 */
import type { TimeEntryInput } from '../domain/guidelines/index.js';
import { formatTable, type TableRow } from './bench-table.js';
import { runDatabaseScenarios } from './rules-database.js';
import { loadBenchGuideline } from './rules-guideline.js';
import { compareWithJsonRules, measureEngine, sampleEntries, sum } from './rules-in-memory.js';
import { scaledBenchFirm, SyntheticFirm } from './synthetic-firm.js';
import { entryInputsByClient } from './synthetic-work.js';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const out = (line: string) => process.stdout.write(`${line}\n`);

/** Size of the json-rules-engine sample; MATTERFLOW_BENCH_BASELINE_SAMPLE overrides it. */
const BASELINE_SAMPLE = Number(process.env.MATTERFLOW_BENCH_BASELINE_SAMPLE ?? '20000');

export async function runRulesBench(): Promise<void> {
  const options = scaledBenchFirm();
  const started = performance.now();
  const firm = new SyntheticFirm(options);
  const byClient = entryInputsByClient(firm);
  const batches: TimeEntryInput[][] = [...byClient.values()].filter((b) => b.length > 0);
  out(
    `synthetic firm: ${fmt(options.entries)} time entries in ${options.month} (${firm.workDays.length} working days), ` +
      `${fmt(options.timekeepers)} timekeepers, ${fmt(options.matters)} matters, ${options.clients} clients; ` +
      `generated in ${((performance.now() - started) / 1000).toFixed(1)} s, heap ${fmt(process.memoryUsage().heapUsed / 1e6)} MB`,
  );
  const bench = loadBenchGuideline();
  const period = { start: firm.period.from, end: firm.period.to };
  out(
    `guideline ${bench.guideline.id}: ${bench.rules.length} rules, ${bench.timeEntryRules.length} of them on time entries ` +
      `(incl. max_daily_hours, duplicate_entry, internal_conference)`,
  );

  // (a)
  const engine = await measureEngine(bench.guideline, bench.timeEntryRules, batches, period);
  out(
    `(a) engine in memory, one batch per client, median of 3 after a warm-up: ${engine.seconds.toFixed(3)} s — ` +
      `${fmt(engine.entriesPerSecond)} entries/s, ${fmt(engine.evaluationsPerSecond)} entry-rule evaluations/s, ` +
      `${fmt(sum(engine.findings))} findings`,
  );
  out(
    `    findings by rule: ${bench.timeEntryRules.map((r) => `${r.id} ${fmt(engine.findings.get(r.id) ?? 0)}`).join(', ')}`,
  );

  // (b)
  const sample = sampleEntries(batches, BASELINE_SAMPLE);
  const comparison = await compareWithJsonRules(
    bench.guideline,
    bench.timeEntryRules,
    sample,
    period,
  );
  const matterflowRate = sample.length / comparison.matterflowSeconds;
  const baselineRate = sample.length / comparison.baselineSeconds;
  const ratio = matterflowRate / baselineRate;
  out(
    `(b) ${comparison.rules.length} per-entry rules both engines express, on the same ${fmt(sample.length)} entries ` +
      `(1 in ${fmt(options.entries / sample.length)} of the month): Matterflow ${fmt(matterflowRate)} entries/s ` +
      `(median of 3), json-rules-engine ${fmt(baselineRate)} entries/s (one run per entry, one timed pass): ${ratio.toFixed(0)}×`,
  );
  out(
    `    findings, Matterflow / json-rules-engine: ${comparison.rules
      .map(
        (r) =>
          `${r.id} ${comparison.matterflow.get(r.id) ?? 0}/${comparison.baseline.get(r.id) ?? 0}`,
      )
      .join(', ')}; total ${sum(comparison.matterflow)}/${sum(comparison.baseline)}`,
  );
  if (comparison.mismatches.length > 0) {
    throw new Error(
      `the engines disagree on ${comparison.mismatches.join(', ')}: the comparison is void`,
    );
  }

  // (c), (d)
  const database = await runDatabaseScenarios(firm, bench, sum(engine.findings), out);
  const rows: TableRow[] = [
    {
      scenario: `(a) engine, ${engine.rules} rules, ${fmt(engine.entries)} entries`,
      pglite: `${fmt(engine.entriesPerSecond)} entries/s`,
      postgres: '(in memory)',
      target: '—',
      baseline: '—',
      ratio: '—',
    },
    {
      scenario: `(b) ${comparison.rules.length} per-entry rules, ${fmt(sample.length)} entries`,
      pglite: `${fmt(matterflowRate)} entries/s`,
      postgres: '(in memory)',
      target: '≥ 50× json-rules-engine',
      baseline: `${fmt(baselineRate)} entries/s`,
      ratio: `${ratio.toFixed(0)}×`,
    },
    ...database,
  ];
  out('');
  out(formatTable(rows));
}
