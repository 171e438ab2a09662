/** Findings tied to the stored rows they are about. */
import type { Finding } from '../../domain/guidelines/index.js';
import { refKey, type WorkRef } from './work-input.js';

/** A finding on a stored entry or expense: the engine's finding plus the row and matter ids. */
export type ScanFinding = Finding & {
  readonly entity: 'time_entry' | 'expense';
  readonly entityDbId: number;
  readonly matterDbId: number;
  /** The stored exception, when the run kept exceptions in step. */
  exception?: {
    readonly id: number;
    readonly state: 'open' | 'waived';
    readonly ownerUserId: number | null;
  };
};

/**
 * The identity of an exception. The guideline is not part of it: after merging, a firm-wide
 * and a client rule with the same id are one rule, and a new guideline version that keeps the
 * rule keeps its exceptions (and their waivers).
 */
export function fingerprintOf(ruleId: string, entity: string, entityDbId: number): string {
  return `${ruleId}|${entity}|${entityDbId}`;
}

/** Attaches row ids to the engine's findings; findings on items not in `refs` are dropped. */
export function attachRefs(
  findings: readonly Finding[],
  refs: ReadonlyMap<string, WorkRef>,
): ScanFinding[] {
  const out: ScanFinding[] = [];
  for (const finding of findings) {
    if (finding.entity === 'invoice') continue;
    const ref = refs.get(refKey(finding.entity, finding.entityId));
    if (ref === undefined) continue;
    out.push({ ...finding, entity: finding.entity, entityDbId: ref.id, matterDbId: ref.matterId });
  }
  return out;
}
