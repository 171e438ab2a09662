/** The contract between the engine and each rule kind. */
import type { Batch } from './batch.js';
import type { GuidelineSource } from './findings.js';
import type { Finding, RuleOf } from './guideline.types.js';
import type { RuleKind } from './param-schemas.js';

/** A rule with its params turned into ready-to-run matchers and limits. */
export interface CompiledRule {
  readonly ruleId: string;
  /** Appends a finding for every judged entry or expense of the batch that breaks the rule. */
  evaluate(batch: Batch, out: Finding[]): void;
}

export type RuleCompiler<K extends RuleKind> = (
  rule: RuleOf<K>,
  source: GuidelineSource,
) => CompiledRule;
