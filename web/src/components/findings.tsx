import type { paths } from '../api/openapi';

export type Finding =
  paths['/api/v1/time-entries/{id}']['patch']['responses'][200]['content']['application/json']['findings'][number];

const SEVERITY_WORDS: Record<Finding['severity'], string> = {
  block: 'Must be fixed before release',
  warn: 'Worth a second look',
  adjust: 'Will be adjusted when billed',
};

const OWNER_WORDS: Record<string, string> = {
  timekeeper: 'you',
  billing_coordinator: 'the billing coordinator',
  approver: 'the approving attorney',
  legal_ops: 'legal ops',
  admin: 'an administrator',
};

/** What the client's guidelines say about a piece of work, in plain words with who must act. */
export function FindingList(props: { findings: readonly Finding[]; title?: string }) {
  if (props.findings.length === 0) return null;
  return (
    <div className="findings" role="status">
      {props.title && <p className="findings-title">{props.title}</p>}
      <ul>
        {props.findings.map((finding) => (
          <li
            key={`${finding.rule_id}-${finding.exception_id ?? ''}`}
            className={`sev-${finding.severity}`}
          >
            <strong>{SEVERITY_WORDS[finding.severity]}:</strong> {finding.message}{' '}
            <span className="muted">
              ({finding.state === 'waived' ? 'waived; ' : ''}rule {finding.rule_id}; to be handled
              by {OWNER_WORDS[finding.owner] ?? finding.owner})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Reads the findings a 409 RELEASE_BLOCKED carries in its details. */
export function findingsOf(details: unknown): Finding[] {
  const findings = (details as { findings?: unknown } | null)?.findings;
  return Array.isArray(findings) ? (findings as Finding[]) : [];
}
