/** How findings travel in API responses of the services that check work at save time. */
import { z } from 'zod';
import { guarded, reworded } from '../../http/field-rules.js';
import { conflict, type AppError } from '../../domain/errors.js';
import { messageWithoutMoney, RULE_OWNERS, SEVERITIES } from '../../domain/guidelines/index.js';
import type { ScanFinding } from './scan-finding.js';

/**
 * Rewords a finding's or exception's message that quotes a rate or amount, for a caller who may
 * not see rates; `kindField` names the field holding the rule kind.
 */
export function withoutMoney(kindField: string) {
  return (value: Record<string, unknown>) => ({
    ...value,
    message: messageWithoutMoney(String(value[kindField]), String(value.message)),
  });
}

export const workFindingSchema = reworded(
  'rates',
  z.object({
    rule_id: z.string(),
    kind: z.string(),
    severity: z.enum(SEVERITIES),
    owner: z.enum(RULE_OWNERS).describe('The role that must act.'),
    owner_user_id: z
      .number()
      .int()
      .nullable()
      .describe('The user in that role; null when unassigned.'),
    message: z.string(),
    guideline_id: z.string().nullable(),
    guideline_version: z.number().int().nullable(),
    correction: guarded(
      'rates',
      z
        .object({
          field: z.string(),
          from: z.number().optional(),
          to: z.number().optional(),
          factor: z.string().optional(),
        })
        .nullable()
        .describe('What an adjust rule would change (hours in hundredths, money in cents).'),
    ),
    exception_id: z.number().int().nullable(),
    state: z.enum(['open', 'waived']).nullable(),
  }),
  withoutMoney('kind'),
);
export type WorkFindingDto = z.infer<typeof workFindingSchema>;

export function toFindingDto(finding: ScanFinding): WorkFindingDto {
  return {
    rule_id: finding.ruleId,
    kind: finding.kind,
    severity: finding.severity,
    owner: finding.owner,
    owner_user_id: finding.exception?.ownerUserId ?? null,
    message: finding.message,
    guideline_id: finding.guidelineId ?? null,
    guideline_version: finding.guidelineVersion ?? null,
    correction: finding.correction ?? null,
    exception_id: finding.exception?.id ?? null,
    state: finding.exception?.state ?? null,
  };
}

/** Open findings of block severity: a waived one no longer stands in the way. */
export function blockingFindings(findings: readonly ScanFinding[]): ScanFinding[] {
  return findings.filter((f) => f.severity === 'block' && f.exception?.state !== 'waived');
}

/** The 409 a release answers while block findings are open, naming each one. */
export function releaseBlocked(what: string, findings: readonly ScanFinding[]): AppError {
  const blocking = blockingFindings(findings);
  const reasons = blocking.map((f) => `${f.ruleId}: ${f.message}`).join(' ');
  return conflict(
    'RELEASE_BLOCKED',
    `${what} cannot be released while ${blocking.length} blocking finding(s) are open. ${reasons}`,
    { findings: findings.map(toFindingDto) },
  );
}

/** Findings counted by severity. */
export function countBySeverity(findings: readonly { severity: string }[]) {
  const counts = { block: 0, warn: 0, adjust: 0 };
  for (const f of findings) counts[f.severity as keyof typeof counts] += 1;
  return counts;
}
