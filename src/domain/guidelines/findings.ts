/** Building findings: one place decides how a rule's custom message joins the computed one. */
import type { Correction, Finding, FindingEntity, GuidelineRule } from './guideline.types.js';

/** Where a compiled guideline came from, copied onto every finding. */
export interface GuidelineSource {
  readonly guidelineId?: string;
  readonly guidelineVersion?: number;
}

/** Makes a finding; the rule's own `message` (the client's wording) follows the computed explanation. */
export function makeFinding(
  rule: GuidelineRule,
  source: GuidelineSource,
  entity: FindingEntity,
  entityId: string,
  matter: string,
  message: string,
  correction?: Correction,
): Finding {
  const guidelineId = rule.guidelineId ?? source.guidelineId;
  return {
    ruleId: rule.id,
    kind: rule.kind,
    severity: rule.severity,
    owner: rule.owner,
    entity,
    entityId,
    matter,
    message: rule.message === undefined ? message : `${message} (${rule.message})`,
    ...(guidelineId === undefined ? {} : { guidelineId }),
    ...(source.guidelineVersion === undefined ? {} : { guidelineVersion: source.guidelineVersion }),
    // Only adjust rules change amounts; block and warn rules report and leave the entry alone.
    ...(correction === undefined || rule.severity !== 'adjust' ? {} : { correction }),
  };
}
