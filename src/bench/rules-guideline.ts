/** The rules benchmark's guideline: read from its fixture, parsed and compiled like any other. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  compileGuideline,
  effectiveRules,
  parseGuideline,
  type CompiledGuideline,
  type Guideline,
  type GuidelineRule,
  type RuleKind,
} from '../domain/guidelines/index.js';

// Two levels up is the repository root both from src/bench and from the built dist/bench.
const FIXTURE = fileURLToPath(
  new URL('../../src/bench/fixtures/rules-bench-guideline.yaml', import.meta.url),
);

/** Kinds that judge an entry by its same-day neighbours; a per-entry rules engine cannot. */
export const CROSS_ENTRY_KINDS: ReadonlySet<RuleKind> = new Set([
  'max_daily_hours',
  'duplicate_entry',
  'internal_conference',
]);

export interface BenchGuideline {
  readonly source: string;
  readonly guideline: Guideline;
  /** Enabled rules as `effectiveRules` returns them for any client. */
  readonly rules: readonly GuidelineRule[];
  /** Rules that judge time entries (not expense-only or invoice-level rules). */
  readonly timeEntryRules: readonly GuidelineRule[];
}

const EXPENSE_ONLY_KINDS: ReadonlySet<RuleKind> = new Set(['expense_cap', 'non_billable_expense']);
const INVOICE_KINDS: ReadonlySet<RuleKind> = new Set([
  'entry_outside_period',
  'budget',
  'invoice_total_threshold',
]);

/** Loads and parses the fixture; throws with the parser's located errors if it is invalid. */
export function loadBenchGuideline(): BenchGuideline {
  const source = readFileSync(FIXTURE, 'utf8');
  const result = parseGuideline(source);
  if ('errors' in result) {
    throw new Error(`benchmark guideline is invalid: ${JSON.stringify(result.errors)}`);
  }
  const rules = effectiveRules(result.guideline, null);
  const timeEntryRules = rules.filter(
    (rule) => !EXPENSE_ONLY_KINDS.has(rule.kind) && !INVOICE_KINDS.has(rule.kind),
  );
  return { source, guideline: result.guideline, rules, timeEntryRules };
}

/** Compiles rules as the engine would for version 1 of the guideline. */
export function compileBenchRules(
  guideline: Guideline,
  rules: readonly GuidelineRule[],
): CompiledGuideline {
  return compileGuideline(rules, { guidelineId: guideline.id, guidelineVersion: 1 });
}
