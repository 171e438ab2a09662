/** (c) and (d) of the rules benchmark: the guideline checked end to end on a real database. */
import type { TableRow } from './bench-table.js';
import type { BenchGuideline } from './rules-guideline.js';
import type { SyntheticFirm } from './synthetic-firm.js';

const PENDING = 'pending: compliance scan not available';

export async function runDatabaseScenarios(
  firm: SyntheticFirm,
  _bench: BenchGuideline,
  _out: (line: string) => void,
): Promise<TableRow[]> {
  const entries = firm.options.entries.toLocaleString('en-US');
  return [
    {
      scenario: `(c) check, ${entries} entries`,
      pglite: PENDING,
      postgres: PENDING,
      target: '< 30 s on PostgreSQL',
      baseline: '—',
      ratio: '—',
    },
    {
      scenario: '(d) POST /time-entries at 200 req/s',
      pglite: PENDING,
      postgres: PENDING,
      target: 'p99 < 10 ms on PostgreSQL',
      baseline: '—',
      ratio: '—',
    },
  ];
}
