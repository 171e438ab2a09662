/**
 * The in-memory half of the rules benchmark: the guideline engine over a whole month of entries,
 * and the same per-entry rules run by Matterflow and by json-rules-engine on the same entries.
 */
import {
  evaluateEntries,
  type BillingPeriod,
  type CompiledGuideline,
  type Finding,
  type Guideline,
  type GuidelineRule,
  type TimeEntryInput,
} from '../domain/guidelines/index.js';
import { buildJsonRulesEngine, expressibleRules, runJsonRules } from './json-rules-baseline.js';
import { compileBenchRules } from './rules-guideline.js';

/** Seconds `run` takes: the median of `times` runs, after one warm-up run unless told not to. */
export async function medianSeconds(run: () => unknown, times = 3, warmUp = true): Promise<number> {
  if (warmUp) await run();
  const seconds: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = process.hrtime.bigint();
    await run();
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  seconds.sort((a, b) => a - b);
  return seconds[Math.floor(seconds.length / 2)]!;
}

/** Evaluates each client's entries as one batch, as a bill run over the month does. */
export function evaluateByClient(
  compiled: CompiledGuideline,
  batches: readonly (readonly TimeEntryInput[])[],
  period: BillingPeriod,
): Finding[] {
  const findings: Finding[] = [];
  for (const timeEntries of batches) {
    for (const finding of evaluateEntries(compiled, { timeEntries, period }))
      findings.push(finding);
  }
  return findings;
}

export function countByRule(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return counts;
}

export interface EngineThroughput {
  entries: number;
  rules: number;
  seconds: number;
  entriesPerSecond: number;
  evaluationsPerSecond: number;
  findings: Map<string, number>;
}

/** (a) The whole guideline over every entry, client batch by client batch. */
export async function measureEngine(
  guideline: Guideline,
  rules: readonly GuidelineRule[],
  batches: readonly (readonly TimeEntryInput[])[],
  period: BillingPeriod,
): Promise<EngineThroughput> {
  const compiled = compileBenchRules(guideline, rules);
  const entries = batches.reduce((sum, batch) => sum + batch.length, 0);
  let findings: Finding[] = [];
  const seconds = await medianSeconds(() => {
    findings = evaluateByClient(compiled, batches, period);
  });
  return {
    entries,
    rules: rules.length,
    seconds,
    entriesPerSecond: entries / seconds,
    evaluationsPerSecond: (entries * rules.length) / seconds,
    findings: countByRule(findings),
  };
}

export interface BaselineComparison {
  rules: readonly GuidelineRule[];
  sampleSize: number;
  matterflowSeconds: number;
  baselineSeconds: number;
  matterflow: Map<string, number>;
  baseline: Map<string, number>;
  /** Rule ids whose finding counts differ between the two engines. */
  mismatches: string[];
}

/**
 * (b) The per-entry rules both engines express, run by each over `sample`. Matterflow evaluates
 * the sample as one batch; json-rules-engine runs once per entry, which is how it is used.
 */
export async function compareWithJsonRules(
  guideline: Guideline,
  rules: readonly GuidelineRule[],
  sample: readonly TimeEntryInput[],
  period: BillingPeriod,
  baselineRuns = 1,
): Promise<BaselineComparison> {
  const subset = expressibleRules(rules);
  const compiled = compileBenchRules(guideline, subset);
  let matterflow: Finding[] = [];
  const matterflowSeconds = await medianSeconds(() => {
    matterflow = evaluateEntries(compiled, { timeEntries: sample, period });
  });
  const engine = buildJsonRulesEngine(subset, period);
  let baseline = new Map<string, number>();
  // json-rules-engine is slow enough that one run of a large sample is steady; warm it on a slice.
  await runJsonRules(engine, sample.slice(0, 1_000));
  const baselineSeconds = await medianSeconds(
    async () => {
      baseline = await runJsonRules(engine, sample);
    },
    baselineRuns,
    false,
  );
  const counts = countByRule(matterflow);
  const mismatches = subset
    .map((rule) => rule.id)
    .filter((id) => (counts.get(id) ?? 0) !== (baseline.get(id) ?? 0));
  return {
    rules: subset,
    sampleSize: sample.length,
    matterflowSeconds,
    baselineSeconds,
    matterflow: counts,
    baseline,
    mismatches,
  };
}

/** Every `n`-th entry across the batches, so the sample spans clients, timekeepers and days. */
export function sampleEntries(
  batches: readonly (readonly TimeEntryInput[])[],
  size: number,
): TimeEntryInput[] {
  const all = batches.flat();
  if (size >= all.length) return all;
  const step = all.length / size;
  return Array.from({ length: size }, (_, i) => all[Math.floor(i * step)]!);
}

export const sum = (counts: ReadonlyMap<string, number>): number =>
  [...counts.values()].reduce((a, b) => a + b, 0);
