import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Resource } from '../../domain/policy.js';
import type { RowReader } from './cells.js';
import type { ImportKind, ImportOptions } from './import.service.js';
import type { References } from './references.js';

/** A parsed row and where it came from in the file. */
export interface Row<V> {
  row: number;
  value: V;
}

/** Records a problem found after parsing (unknown reference, overlap, billed entry). */
export type ReportIssue = (row: number, field: string, message: string) => void;

/** How a file row relates to the stored row with the same natural key. */
export type Comparison = 'unchanged' | 'changed' | { field: string; message: string };

/** One page of an export: CSV rows in column order, and where the next page starts. */
export interface ExportPage<C> {
  rows: string[][];
  next: C | null;
}

/**
 * Everything the import engine needs to know about one kind of record.
 *
 * `V` is a row as parsed from the file (references still as codes), `W` the row as it will be
 * stored (references resolved to ids) and `E` the stored row with the same natural key.
 */
export interface KindDefinition<V, W, E, C = number> {
  kind: ImportKind;
  /** What the policy checks for the import and export actions. */
  resource: Resource;
  columns: readonly string[];
  /** The columns forming the natural key, named in duplicate-row errors. */
  keyColumns: readonly string[];
  /**
   * Kinds whose rows constrain each other across the whole file (overlapping rates, one user per
   * timekeeper) are checked in one piece; their files are small. Others stream in chunks.
   */
  wholeFile?: boolean;
  /** Reads one row's cells; only called with a fresh reader state, result ignored if it failed. */
  parse(cells: RowReader): V;
  /** The natural key of a parsed row, to find duplicates within the file. */
  key(value: V): string;
  /** Resolves references for a chunk (one query per referenced table); undefined = row refused. */
  prepare(
    db: Kysely<DB>,
    rows: readonly Row<V>[],
    refs: References,
    report: ReportIssue,
  ): Promise<(W | undefined)[]>;
  /** Loads the stored rows with the chunk's natural keys, keyed like `storedKey`. */
  loadExisting(db: Kysely<DB>, values: readonly W[]): Promise<Map<string, E>>;
  storedKey(value: W): string;
  /** Compares normalized values; an issue refuses the row (e.g. billed work). */
  compare(existing: E, value: W): Comparison;
  insert(db: Kysely<DB>, values: readonly W[], now: Date, options: ImportOptions): Promise<void>;
  update(db: Kysely<DB>, changes: readonly Changed<W, E>[], now: Date): Promise<void>;
  /**
   * For recorded work (time entries, expenses): where a written row lies, so the guideline
   * checks can judge the affected days once the file is written.
   */
  work?: { entity: 'time_entry' | 'expense'; place(value: W): WorkPlace };
  /** One export page in column order, after the cursor `after` (null = from the start). */
  exportPage(db: Kysely<DB>, after: C | null, limit: number): Promise<ExportPage<C>>;
}

/** Where a written entry or expense lies: its matter, date and external id. */
export interface WorkPlace {
  matterId: number;
  date: string;
  externalId: string;
}

/** A file row that changes a stored row. */
export interface Changed<W, E> {
  existing: E;
  value: W;
}

/** Lets a kind file state its types once and have them checked. */
export function defineKind<V, W, E, C = number>(
  definition: KindDefinition<V, W, E, C>,
): KindDefinition<V, W, E, C> {
  return definition;
}

/** Compares field by field; null and undefined are the same "blank". */
export function sameValues(pairs: readonly (readonly [unknown, unknown])[]): boolean {
  for (const [a, b] of pairs) if ((a ?? null) !== (b ?? null)) return false;
  return true;
}

/** Key under which a CSV record carries its cell count when it differs from the header's. */
export const FIELD_COUNT = '\u0000fields';
