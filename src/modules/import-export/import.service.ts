import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { AppContext } from '../../config/context.js';
import type { FieldIssue } from '../../domain/errors.js';
import { AppError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { runImport } from './engine.js';
import { FIELD_COUNT } from './kind.js';
import { KIND_DEFINITIONS } from './kinds/index.js';

/** The kinds of records Matterflow imports and exports as CSV. */
export const IMPORT_KINDS = [
  'clients',
  'matters',
  'timekeepers',
  'rates',
  'matter-timekeepers',
  'time-entries',
  'expenses',
  'users',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportOptions {
  /** Write the valid rows and report the rest, instead of all-or-nothing. */
  skipInvalid?: boolean;
  /** Status of newly imported time entries and expenses (default released). */
  workStatus?: 'draft' | 'released';
  /** Called after each chunk with the number of data rows read so far. */
  onProgress?: (rowsDone: number) => void;
}

export interface ImportSummary {
  kind: ImportKind;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: FieldIssue[];
  /**
   * Time entries and expenses only, when a guideline applies to the imported work: findings on
   * the written rows by severity (they are also stored as exceptions).
   */
  findings?: { block: number; warn: number; adjust: number };
}

/** The CSV header of each kind, in the order exports write it. */
export const IMPORT_COLUMNS: Record<ImportKind, readonly string[]> = Object.fromEntries(
  IMPORT_KINDS.map((kind) => [kind, KIND_DEFINITIONS[kind].columns]),
) as Record<ImportKind, readonly string[]>;

/** True when `text` names an import kind. */
export function isImportKind(text: string): text is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(text);
}

/** Imports rows given as header->value records (values exactly as they would appear in the CSV). */
export async function importRecords(
  ctx: AppContext,
  actor: Actor,
  kind: ImportKind,
  records: Iterable<Record<string, string>> | AsyncIterable<Record<string, string>>,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const columns = IMPORT_COLUMNS[kind];
  const hash = createHash('sha256');
  hash.update(`${columns.join(',')}\n`);
  async function* checked(): AsyncGenerator<Record<string, string>> {
    let first = true;
    for await (const record of records) {
      if (first) {
        checkHeader(kind, Object.keys(record));
        first = false;
      }
      // The same bytes a CSV of these records would hash to is not needed, only a stable digest.
      hash.update(`${columns.map((c) => record[c] ?? '').join('\u001f')}\n`);
      yield record;
    }
  }
  return runImport(ctx, actor, KIND_DEFINITIONS[kind], checked(), options, () =>
    hash.digest('hex'),
  );
}

/** Parses CSV text or a readable stream, checks the header, then imports. */
export async function importCsv(
  ctx: AppContext,
  actor: Actor,
  kind: ImportKind,
  input: string | NodeJS.ReadableStream,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const source = typeof input === 'string' ? Readable.from([input]) : input;
  const hash = createHash('sha256');
  source.on('data', (chunk: Buffer | string) => hash.update(chunk));
  const parser = source.pipe(
    parse({ bom: true, skip_empty_lines: true, relax_column_count: true }),
  );
  try {
    return await runImport(
      ctx,
      actor,
      KIND_DEFINITIONS[kind],
      csvRecords(kind, parser),
      options,
      () => hash.digest('hex'),
    );
  } finally {
    // A refused file is not read to the end; release it rather than leave it open.
    (source as Partial<Readable>).destroy?.();
  }
}

async function* csvRecords(
  kind: ImportKind,
  parser: AsyncIterable<string[]>,
): AsyncGenerator<Record<string, string>> {
  let header: string[] | null = null;
  try {
    for await (const fields of parser) {
      if (header === null) {
        header = fields.map((name) => name.trim());
        checkHeader(kind, header);
        continue;
      }
      const record: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) record[header[i]!] = fields[i] ?? '';
      // A row with more or fewer cells than the header is reported by the engine.
      if (fields.length !== header.length) record[FIELD_COUNT] = String(fields.length);
      yield record;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'validation',
      'IMPORT_BAD_CSV',
      `The ${kind} file is not valid CSV: ${(error as Error).message}`,
    );
  }
  if (header === null) {
    throw new AppError(
      'validation',
      'IMPORT_BAD_HEADER',
      `The ${kind} file is empty: expected the header ${IMPORT_COLUMNS[kind].join(',')}.`,
      { issues: [{ row: 1, field: '(header)', message: 'missing' }], missing: [], extra: [] },
    );
  }
}

function checkHeader(kind: ImportKind, header: readonly string[]): void {
  const expected = IMPORT_COLUMNS[kind];
  const present = header.filter((name) => name !== FIELD_COUNT);
  const missing = expected.filter((name) => !present.includes(name));
  const extra = present.filter((name) => !expected.includes(name));
  const repeated = present.filter((name, i) => present.indexOf(name) !== i);
  if (!missing.length && !extra.length && !repeated.length) return;
  const issues: FieldIssue[] = [
    ...missing.map((field) => ({ row: 1, field, message: 'missing column' })),
    ...extra.map((field) => ({ row: 1, field, message: 'unknown column' })),
    ...repeated.map((field) => ({ row: 1, field, message: 'column appears more than once' })),
  ];
  const parts = [
    missing.length ? `missing column(s) ${missing.join(', ')}` : '',
    extra.length ? `unknown column(s) ${extra.join(', ')}` : '',
    repeated.length ? `repeated column(s) ${repeated.join(', ')}` : '',
  ].filter(Boolean);
  throw new AppError(
    'validation',
    'IMPORT_BAD_HEADER',
    `The ${kind} header has ${parts.join('; ')}. Expected: ${expected.join(',')}.`,
    { issues, missing, extra },
  );
}
