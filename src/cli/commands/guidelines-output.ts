import type { FieldIssue } from '../../domain/errors.js';
import type {
  GuidelineVersionDto,
  SandboxFindingDto,
  SandboxReport,
} from '../../modules/guidelines/guidelines.schemas.js';

/** How many added or gone findings the human sandbox report lists before summing up the rest. */
const LIST_LIMIT = 50;

const write = (text: string) => process.stdout.write(text);

/** Each problem as `file:line:column: field: message`, the form editors jump to. */
export function printIssues(file: string, issues: readonly FieldIssue[]): void {
  for (const issue of issues) {
    const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
    process.stderr.write(`${where}: ${issue.field ? `${issue.field}: ` : ''}${issue.message}\n`);
  }
}

function day(date: Date | null): string {
  return date === null ? '-' : date.toISOString().slice(0, 10);
}

function table(header: string[], rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** The versions as a table, one line each. */
export function printVersions(versions: readonly GuidelineVersionDto[]): void {
  if (versions.length === 0) {
    write('No guideline versions.\n');
    return;
  }
  const rows = versions.map((v) => [
    v.key,
    v.client,
    String(v.version),
    v.status,
    v.effective_from,
    String(v.rule_count),
    `${day(v.imported_at)} ${v.imported_by ?? 'system'}`,
    v.activated_at === null ? '-' : `${day(v.activated_at)} ${v.activated_by ?? 'system'}`,
  ]);
  const header = [
    'guideline',
    'client',
    'version',
    'status',
    'effective',
    'rules',
    'imported',
    'activated',
  ];
  write(table(header, rows, new Set([2, 5])));
}

function findingLines(title: string, findings: readonly SandboxFindingDto[]): void {
  write(`\n${title} (${findings.length}):\n`);
  if (findings.length === 0) {
    write('  none\n');
    return;
  }
  for (const f of findings.slice(0, LIST_LIMIT))
    write(`  ${f.rule_id}  ${f.entity} ${f.entity_id}  ${f.matter}  ${f.message}\n`);
  if (findings.length > LIST_LIMIT) write(`  … and ${findings.length - LIST_LIMIT} more\n`);
}

/** The sandbox report: counts per rule (active → draft), then the findings added and gone. */
export function printSandbox(report: SandboxReport): void {
  const scope = report.guideline.client === '*' ? 'firm-wide' : `client ${report.guideline.client}`;
  write(
    `Draft guideline ${report.guideline.key} (${scope}) over ${report.window.from} to ${report.window.to}: ` +
      `${report.entries_checked} time entries and ${report.expenses_checked} expenses checked. Nothing was stored.\n\n`,
  );
  const note = { added: ' (new rule)', removed: ' (removed)', kept: '' } as const;
  const rows = report.rules.map((r) => [
    `${r.rule_id}${note[r.change]}`,
    String(r.active),
    '→',
    String(r.draft),
  ]);
  write(table(['rule', 'active', '', 'draft'], rows, new Set([1, 3])));
  findingLines('Findings added', report.added);
  findingLines('Findings gone', report.gone);
}
