import { describe, expect, it } from 'vitest';
import { evaluateEntries } from '../domain/guidelines/index.js';
import { buildJsonRulesEngine, expressibleRules, runJsonRules } from './json-rules-baseline.js';
import { CROSS_ENTRY_KINDS, compileBenchRules, loadBenchGuideline } from './rules-guideline.js';
import { sampleEntries } from './rules-in-memory.js';
import { SyntheticFirm } from './synthetic-firm.js';
import { entryInputsByClient } from './synthetic-work.js';

describe('json-rules-engine baseline', () => {
  const bench = loadBenchGuideline();
  const subset = expressibleRules(bench.timeEntryRules);

  it('translates the per-entry rules and leaves out the cross-entry and text-analysis kinds', () => {
    expect(subset.length).toBeGreaterThanOrEqual(15);
    const left = bench.timeEntryRules.filter((rule) => !subset.includes(rule)).map((r) => r.kind);
    expect(left.sort()).toEqual([...CROSS_ENTRY_KINDS, 'block_billing', 'vague_narrative'].sort());
  });

  it('finds exactly what Matterflow finds, rule by rule and entry by entry', async () => {
    const firm = new SyntheticFirm({
      seed: 11,
      clients: 10,
      timekeepers: 50,
      matters: 200,
      entries: 20_000,
      month: '2026-03',
    });
    const sample = sampleEntries([...entryInputsByClient(firm).values()], 3_000);
    const period = { start: firm.period.from, end: firm.period.to };
    const matterflow = evaluateEntries(compileBenchRules(bench.guideline, subset), {
      timeEntries: sample,
      period,
    }).map((f) => `${f.ruleId} ${f.entityId}`);
    const baseline: string[] = [];
    await runJsonRules(buildJsonRulesEngine(subset, period), sample, (rule, entry) =>
      baseline.push(`${rule} ${entry}`),
    );
    expect(matterflow.length).toBeGreaterThan(300);
    expect(baseline.sort()).toEqual(matterflow.sort());
  });
});
