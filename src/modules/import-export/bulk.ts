import type { Kysely } from 'kysely';
import { CompiledQuery } from 'kysely';
import type { DB } from '../../db/schema.js';

/** One column of a bulk write: its SQL name and type, and how to read it from a row. */
export interface BulkColumn<W> {
  name: string;
  type: 'text' | 'bigint' | 'integer' | 'date' | 'numeric' | 'boolean' | 'timestamptz' | 'text[]';
  value: (row: W) => unknown;
}

// PostgreSQL allows 65,535 bind parameters per statement; stay well below it and keep each
// statement small enough that the server plans and applies it in a few milliseconds.
const MAX_PARAMETERS = 30_000;
const MAX_ROWS = 2_000;

function rowsPerStatement(columnCount: number): number {
  return Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / columnCount)));
}

/**
 * Builds `($1::t1, $2::t2), (...)` for `count` rows. Every placeholder carries its cast so a
 * VALUES list has the column's type on both PostgreSQL and PGlite, whatever the first row holds.
 */
function valuesList(types: readonly string[], count: number, offset = 0): string {
  const parts: string[] = new Array<string>(count);
  let n = offset;
  for (let r = 0; r < count; r++) {
    let tuple = '(';
    for (let c = 0; c < types.length; c++) {
      if (c > 0) tuple += ',';
      tuple += `$${++n}::${types[c]}`;
    }
    parts[r] = `${tuple})`;
  }
  return parts.join(',');
}

function collectParameters<W>(
  columns: readonly BulkColumn<W>[],
  rows: readonly W[],
  into: unknown[],
): void {
  for (const row of rows) for (const column of columns) into.push(column.value(row));
}

/**
 * Multi-row INSERT in statements of at most a few thousand rows. The SQL is generated here
 * rather than through the query builder because building and compiling 10,000-node trees per
 * statement costs more than the database's own work on a bulk load.
 */
export async function insertRows<W>(
  db: Kysely<DB>,
  table: keyof DB,
  columns: readonly BulkColumn<W>[],
  rows: readonly W[],
): Promise<void> {
  const names = columns.map((c) => c.name).join(', ');
  const types = columns.map((c) => c.type);
  const size = rowsPerStatement(columns.length);
  for (let start = 0; start < rows.length; start += size) {
    const slice = rows.slice(start, start + size);
    const parameters: unknown[] = [];
    collectParameters(columns, slice, parameters);
    const text = `insert into ${table} (${names}) values ${valuesList(types, slice.length)}`;
    await db.executeQuery(CompiledQuery.raw(text, parameters));
  }
}

/**
 * `UPDATE … FROM (VALUES …)` matching on `keys`, setting `columns`, bumping `version` and
 * stamping `updated_at`, in statements of at most a few thousand rows.
 */
export async function updateRows<W>(
  db: Kysely<DB>,
  table: keyof DB,
  keys: readonly BulkColumn<W>[],
  columns: readonly BulkColumn<W>[],
  rows: readonly W[],
  now: Date,
): Promise<void> {
  const all = [...keys, ...columns];
  const types = all.map((c) => c.type);
  const alias = all.map((c) => c.name).join(', ');
  const set = columns.map((c) => `${c.name} = v.${c.name}`).join(', ');
  const match = keys.map((c) => `t.${c.name} = v.${c.name}`).join(' and ');
  const size = rowsPerStatement(all.length);
  for (let start = 0; start < rows.length; start += size) {
    const slice = rows.slice(start, start + size);
    const parameters: unknown[] = [now];
    collectParameters(all, slice, parameters);
    const text =
      `update ${table} as t set ${set}, version = t.version + 1, updated_at = $1::timestamptz ` +
      `from (values ${valuesList(types, slice.length, 1)}) as v(${alias}) where ${match}`;
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
