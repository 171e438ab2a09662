import type { Kysely } from 'kysely';
import { CompiledQuery } from 'kysely';
import type { DB } from '../../db/schema.js';

/** One column of a bulk write: its SQL name and type, and how to read it from a row. */
export interface BulkColumn<W> {
  name: string;
  type: 'text' | 'bigint' | 'integer' | 'date' | 'numeric' | 'boolean' | 'timestamptz';
  value: (row: W) => unknown;
  /**
   * Array-valued columns travel as array literals in a text column and are cast at the end:
   * unnest flattens an array of arrays instead of yielding one array per row.
   */
  cast?: 'text[]';
}

// One statement per this many rows: large enough that the per-statement round trip vanishes,
// small enough that the server's memory for one statement stays modest.
const ROWS_PER_STATEMENT = 2_000;

/**
 * One array parameter per column, `unnest`ed into rows. A VALUES list of 2,000 rows × 11 columns
 * means 22,000 parameters for the server to parse and plan one by one; eleven arrays cost a
 * fraction of that and stay far below PostgreSQL's 65,535-parameter limit at any chunk size.
 */
function unnestColumns<W>(
  columns: readonly BulkColumn<W>[],
  rows: readonly W[],
  parameters: unknown[],
): string {
  const arrays = columns.map((column) => {
    const values = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = column.value(rows[i]!);
    parameters.push(values);
    return `$${parameters.length}::${column.type}[]`;
  });
  return `unnest(${arrays.join(', ')}) as v(${columns.map((c) => c.name).join(', ')})`;
}

const valueOf = (column: BulkColumn<unknown>) =>
  column.cast ? `v.${column.name}::${column.cast}` : `v.${column.name}`;

const selectList = (columns: readonly BulkColumn<any>[]) => columns.map(valueOf).join(', ');

/**
 * Multi-row INSERT in statements of a few thousand rows. The SQL is generated here rather than
 * through the query builder: it is the hot path of a 100,000-row import, and its shape is fixed.
 * `constants` hold one value for every row (a status, a timestamp) and travel once.
 */
export async function insertRows<W>(
  db: Kysely<DB>,
  table: keyof DB,
  columns: readonly BulkColumn<W>[],
  rows: readonly W[],
  constants: readonly { name: string; type: BulkColumn<W>['type']; value: unknown }[] = [],
): Promise<void> {
  const names = [...columns, ...constants].map((c) => c.name).join(', ');
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const slice = rows.slice(start, start + ROWS_PER_STATEMENT);
    const parameters: unknown[] = [];
    const source = unnestColumns(columns, slice, parameters);
    const extra = constants.map((c) => {
      parameters.push(c.value);
      return `, $${parameters.length}::${c.type}`;
    });
    const text = `insert into ${table} (${names}) select ${selectList(columns)}${extra.join('')} from ${source}`;
    await db.executeQuery(CompiledQuery.raw(text, parameters));
  }
}

/**
 * `UPDATE … FROM unnest(…)` matching on `keys`, setting `columns`, bumping `version` and
 * stamping `updated_at`, in statements of a few thousand rows.
 */
export async function updateRows<W>(
  db: Kysely<DB>,
  table: keyof DB,
  keys: readonly BulkColumn<W>[],
  columns: readonly BulkColumn<W>[],
  rows: readonly W[],
  now: Date,
): Promise<void> {
  const set = columns.map((c) => `${c.name} = ${valueOf(c as BulkColumn<unknown>)}`).join(', ');
  const match = keys.map((c) => `t.${c.name} = v.${c.name}`).join(' and ');
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const slice = rows.slice(start, start + ROWS_PER_STATEMENT);
    const parameters: unknown[] = [now];
    const source = unnestColumns([...keys, ...columns], slice, parameters);
    const text =
      `update ${table} as t set ${set}, version = t.version + 1, updated_at = $1::timestamptz ` +
      `from ${source} where ${match}`;
    await db.executeQuery(CompiledQuery.raw(text, parameters));
  }
}

/** The same columns read through a wrapper row (e.g. a changed row beside its stored row). */
export function columnsThrough<W, T>(
  columns: readonly BulkColumn<W>[],
  pick: (row: T) => W,
): BulkColumn<T>[] {
  return columns.map((c) => ({ ...c, value: (row: T) => c.value(pick(row)) }));
}

/** Updates stored rows by id with the file's values for `columns`. */
export async function updateById<W>(
  db: Kysely<DB>,
  table: keyof DB,
  columns: readonly BulkColumn<W>[],
  changes: readonly { existing: { id: number }; value: W }[],
  now: Date,
): Promise<void> {
  await updateRows(
    db,
    table,
    [{ name: 'id', type: 'bigint', value: (c) => c.existing.id }],
    columnsThrough(columns, (c: { value: W }) => c.value),
    changes,
    now,
  );
}

/**
 * The status columns of newly imported work: entries and expenses come from the firm's time
 * system ready for billing (released now) unless the import asks for drafts.
 */
export function workStatusConstants(
  workStatus: 'draft' | 'released' | undefined,
  now: Date,
): { name: string; type: 'text' | 'timestamptz'; value: unknown }[] {
  const status = workStatus ?? 'released';
  return [
    { name: 'status', type: 'text', value: status },
    { name: 'released_at', type: 'timestamptz', value: status === 'released' ? now : null },
  ];
}
