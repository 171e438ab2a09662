import type { Finding } from '../../domain/guidelines/index.js';
import type { SandboxFindingDto, SandboxReport } from './guidelines.schemas.js';

/** The rule ids each side applied, in the order they were first met. */
export interface AppliedRules {
  active: Set<string>;
  draft: Set<string>;
}

/** A finding's identity across the two runs: the same rule on the same entry or expense. */
function identity(finding: Finding): string {
  return `${finding.ruleId}|${finding.entity}|${finding.entityId}`;
}

function toDto(finding: Finding): SandboxFindingDto {
  return {
    rule_id: finding.ruleId,
    entity: finding.entity,
    entity_id: finding.entityId,
    matter: finding.matter,
    severity: finding.severity,
    message: finding.message,
  };
}

function byRuleThenEntry(a: SandboxFindingDto, b: SandboxFindingDto): number {
  return (
    a.rule_id.localeCompare(b.rule_id) ||
    a.matter.localeCompare(b.matter) ||
    a.entity.localeCompare(b.entity) ||
    a.entity_id.localeCompare(b.entity_id)
  );
}

/**
 * Compares the findings of the active rules with those of the draft: counts per rule, and the
 * findings only the draft makes (added) or only the active rules make (gone).
 */
export function compareFindings(
  active: readonly Finding[],
  draft: readonly Finding[],
  applied: AppliedRules,
): Pick<SandboxReport, 'rules' | 'added' | 'gone'> {
  const counts = new Map<string, { active: number; draft: number }>();
  const count = (ruleId: string) => {
    let c = counts.get(ruleId);
    if (c === undefined) counts.set(ruleId, (c = { active: 0, draft: 0 }));
    return c;
  };
  for (const id of [...applied.active, ...applied.draft]) count(id);
  for (const finding of active) count(finding.ruleId).active += 1;
  for (const finding of draft) count(finding.ruleId).draft += 1;

  const activeKeys = new Set(active.map(identity));
  const draftKeys = new Set(draft.map(identity));
  const added = draft.filter((f) => !activeKeys.has(identity(f))).map(toDto);
  const gone = active.filter((f) => !draftKeys.has(identity(f))).map(toDto);

  const rules = [...counts].map(([ruleId, c]) => ({
    rule_id: ruleId,
    active: c.active,
    draft: c.draft,
    change: !applied.active.has(ruleId)
      ? ('added' as const)
      : !applied.draft.has(ruleId)
        ? ('removed' as const)
        : ('kept' as const),
  }));
  return { rules, added: added.sort(byRuleThenEntry), gone: gone.sort(byRuleThenEntry) };
}
