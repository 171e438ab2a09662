/** The guideline engine's public surface: parse, merge, compile, evaluate. */
export {
  compileGuideline,
  evaluateEntries,
  evaluateInvoice,
  restrictToKinds,
  type CompiledGuideline,
  type KindedRule,
} from './compile-guideline.js';
export { MATTER_DAY_KINDS, TIMEKEEPER_DAY_KINDS } from './kinds/cross-entry.js';
export type { GuidelineSource } from './findings.js';
export * from './guideline.types.js';
export type { InvoiceInput } from './kinds/invoice.js';
export { CEL_VARIABLES } from './kinds/expression.js';
export { effectiveRules } from './merge-guidelines.js';
export { messageWithoutMoney } from './text.js';
export {
  describeParams,
  isRuleKind,
  PARAM_TYPE_LABELS,
  RULE_KIND_NAMES,
  RULE_KINDS,
  type ParamsOf,
  type RuleKind,
} from './param-schemas.js';
export { paramsInWords } from './params-in-words.js';
export {
  parseGuideline,
  type GuidelineError,
  type ParseGuidelineResult,
} from './parse-guideline.js';
