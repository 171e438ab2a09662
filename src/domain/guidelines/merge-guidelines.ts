/** Combining the firm-wide guideline with a client's own. */
import type { Guideline, GuidelineRule } from './guideline.types.js';

/**
 * The rules that apply to a client's work: every enabled firm-wide rule, unless the client's
 * guideline has a rule with the same id (it overrides the firm's) or switches that id off with
 * `enabled: false`, then the client's enabled rules. Each rule is tagged with its guideline id.
 */
export function effectiveRules(
  firmWide: Guideline | null,
  client: Guideline | null,
): GuidelineRule[] {
  const clientIds = new Set<string>(client?.disabledRuleIds ?? []);
  for (const rule of client?.rules ?? []) clientIds.add(rule.id);
  const rules: GuidelineRule[] = [];
  for (const rule of firmWide?.rules ?? []) {
    if (rule.enabled && !clientIds.has(rule.id)) rules.push(tag(rule, firmWide));
  }
  for (const rule of client?.rules ?? []) {
    if (rule.enabled) rules.push(tag(rule, client));
  }
  return rules;
}

function tag(rule: GuidelineRule, guideline: Guideline | null): GuidelineRule {
  return guideline === null ? rule : { ...rule, guidelineId: guideline.id };
}
