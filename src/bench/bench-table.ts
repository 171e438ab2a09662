/** The summary table benchmarks print: one row per scenario, one column per database. */
export interface TableRow {
  scenario: string;
  pglite: string;
  postgres: string;
  target: string;
  baseline: string;
  ratio: string;
}

const HEADER: TableRow = {
  scenario: 'scenario',
  pglite: 'PGlite',
  postgres: 'PostgreSQL',
  target: 'target',
  baseline: 'baseline',
  ratio: 'ratio',
};

const COLUMNS = ['scenario', 'pglite', 'postgres', 'target', 'baseline', 'ratio'] as const;

/** A Markdown table, so the output pastes straight into docs/performance.md. */
export function formatTable(rows: readonly TableRow[]): string {
  const all = [HEADER, ...rows];
  const widths = COLUMNS.map((c) => Math.max(...all.map((row) => row[c].length)));
  const line = (row: TableRow) =>
    `| ${COLUMNS.map((c, i) => row[c].padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(HEADER), rule, ...rows.map(line)].join('\n');
}
