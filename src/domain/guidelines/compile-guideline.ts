/**
 * The engine: compile a guideline's rules once, then evaluate any number of entries with the
 * same code, one entry at save time or a whole bill run.
 */
import { Batch } from './batch.js';
import type { CompiledRule } from './compiled-rule.js';
import type { GuidelineSource } from './findings.js';
import type { EvaluationInput, Finding, GuidelineRule } from './guideline.types.js';
import type { RuleKind } from './param-schemas.js';
import {
  compileDuplicateEntry,
  compileInternalConference,
  compileMaxDailyHours,
} from './kinds/cross-entry.js';
import {
  compileBillingIncrement,
  compileMaxEntryHours,
  compileNarrativeLength,
  compileRequiredFields,
  compileUtbmsCodes,
} from './kinds/entry-fields.js';
import { compileExpenseCap, compileNonBillableExpense } from './kinds/expenses.js';
import { compileExpression } from './kinds/expression.js';
import {
  compileInvoiceRule,
  type CompiledInvoiceRule,
  type InvoiceInput,
} from './kinds/invoice.js';
import {
  compileBannedTerms,
  compileBlockBilling,
  compileClericalWork,
  compileTravelTime,
  compileVagueNarrative,
} from './kinds/narrative.js';
import {
  compileApprovedRate,
  compileApprovedTimekeeper,
  compileRateCap,
  compileStaffing,
} from './kinds/rates.js';
import { compileLateEntry, compileMatterClosed } from './kinds/work-dates.js';

/** A compiled entry rule with the kind it came from, so a caller can run some kinds only. */
export interface KindedRule extends CompiledRule {
  readonly kind: RuleKind;
}

/** A guideline ready to evaluate: matchers, limits and sets built once. */
export interface CompiledGuideline {
  readonly entryRules: readonly KindedRule[];
  readonly invoiceRules: readonly CompiledInvoiceRule[];
}

/** Compiles the enabled rules (e.g. from `effectiveRules`); `source` is copied onto findings. */
export function compileGuideline(
  rules: readonly GuidelineRule[],
  source: GuidelineSource = {},
): CompiledGuideline {
  const entryRules: KindedRule[] = [];
  const invoiceRules: CompiledInvoiceRule[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const compiled = compileRule(rule, source);
    if (typeof compiled === 'function') invoiceRules.push(compiled);
    else entryRules.push({ ...compiled, kind: rule.kind });
  }
  return { entryRules, invoiceRules };
}

/**
 * The same compiled guideline with only the entry rules of `kinds` (in their order) and no
 * invoice rules: evaluating it gives exactly the findings of those kinds the whole guideline
 * gives, since each rule judges on its own.
 */
export function restrictToKinds(
  compiled: CompiledGuideline,
  kinds: ReadonlySet<RuleKind>,
): CompiledGuideline {
  return {
    entryRules: compiled.entryRules.filter((rule) => kinds.has(rule.kind)),
    invoiceRules: [],
  };
}

function compileRule(
  rule: GuidelineRule,
  source: GuidelineSource,
): CompiledRule | CompiledInvoiceRule {
  switch (rule.kind) {
    case 'required_fields':
      return compileRequiredFields(rule, source);
    case 'utbms_codes':
      return compileUtbmsCodes(rule, source);
    case 'billing_increment':
      return compileBillingIncrement(rule, source);
    case 'max_entry_hours':
      return compileMaxEntryHours(rule, source);
    case 'max_daily_hours':
      return compileMaxDailyHours(rule, source);
    case 'block_billing':
      return compileBlockBilling(rule, source);
    case 'vague_narrative':
      return compileVagueNarrative(rule, source);
    case 'banned_terms':
      return compileBannedTerms(rule, source);
    case 'clerical_work':
      return compileClericalWork(rule, source);
    case 'narrative_length':
      return compileNarrativeLength(rule, source);
    case 'internal_conference':
      return compileInternalConference(rule, source);
    case 'rate_cap':
      return compileRateCap(rule, source);
    case 'approved_rate':
      return compileApprovedRate(rule, source);
    case 'approved_timekeeper':
      return compileApprovedTimekeeper(rule, source);
    case 'staffing':
      return compileStaffing(rule, source);
    case 'travel_time':
      return compileTravelTime(rule, source);
    case 'expense_cap':
      return compileExpenseCap(rule, source);
    case 'non_billable_expense':
      return compileNonBillableExpense(rule, source);
    case 'duplicate_entry':
      return compileDuplicateEntry(rule, source);
    case 'late_entry':
      return compileLateEntry(rule, source);
    case 'matter_closed':
      return compileMatterClosed(rule, source);
    case 'expression':
      return compileExpression(rule, source);
    case 'entry_outside_period':
    case 'budget':
    case 'invoice_total_threshold':
      return compileInvoiceRule(rule, source);
  }
}

/**
 * Findings for the time entries and expenses of `input`, rule by rule in guideline order and
 * entry by entry in input order. Non-billable items are never flagged: they do not reach the client.
 */
export function evaluateEntries(compiled: CompiledGuideline, input: EvaluationInput): Finding[] {
  const out: Finding[] = [];
  if (compiled.entryRules.length === 0) return out;
  const batch = new Batch(input);
  for (const rule of compiled.entryRules) rule.evaluate(batch, out);
  return out;
}

/** Findings of the invoice-level rules for one drafted invoice. */
export function evaluateInvoice(compiled: CompiledGuideline, invoice: InvoiceInput): Finding[] {
  const out: Finding[] = [];
  for (const rule of compiled.invoiceRules) rule(invoice, out);
  return out;
}
