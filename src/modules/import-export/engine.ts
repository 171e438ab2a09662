import type { AppContext } from '../../config/context.js';
import type { FieldIssue } from '../../domain/errors.js';
import { AppError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { isAllowed } from '../../domain/policy.js';
import { withDb } from '../../config/context.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { checkImportedWork, ImportedWork } from '../compliance/check-imported-work.js';
import { RowReader } from './cells.js';
import type { ImportOptions, ImportSummary } from './import.service.js';
import type { Changed, KindDefinition, Row, WorkPlace } from './kind.js';
import { FIELD_COUNT } from './kind.js';
import { References } from './references.js';

/** Rows validated, looked up and written together; a chunk costs two or three queries. */
export const CHUNK_ROWS = 2_000;

/**
 * Imports a stream of records of one kind inside one transaction: parse and check each row,
 * then per chunk resolve references, load the stored rows with the same natural keys in one
 * query, classify each row as new, changed or unchanged, and write. Only the set of natural
 * keys seen so far is kept across chunks, so memory stays flat however long the file is.
 *
 * All-or-nothing unless `skipInvalid`: after the first invalid row nothing more is written,
 * but every remaining row is still checked so that the report lists every problem.
 */
export async function runImport<V, W, E, C>(
  ctx: AppContext,
  actor: Actor,
  definition: KindDefinition<V, W, E, C>,
  records: AsyncIterable<Record<string, string>>,
  options: ImportOptions,
  digest: () => string,
): Promise<ImportSummary> {
  if (!isAllowed(actor, 'import', definition.resource)) {
    throw new AppError(
      'forbidden',
      'IMPORT_FORBIDDEN',
      `Your roles do not allow importing ${definition.kind}.`,
    );
  }
  const now = ctx.now();
  const issues: FieldIssue[] = [];
  const summary: ImportSummary = {
    kind: definition.kind,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    errors: issues,
  };
  const report = (row: number, field: string, message: string) =>
    issues.push({ row, field, message });
  const writing = () => options.skipInvalid === true || issues.length === 0;

  await ctx.db.transaction().execute(async (trx) => {
    const refs = new References(trx);
    const firstRowOfKey = new Map<string, number>();
    const reader = new RowReader(issues);
    const columnCount = definition.columns.length;
    const keyColumn = definition.keyColumns[0]!;
    let buffer: Row<V>[] = [];
    let inFlight: Promise<void> = Promise.resolve();
    const work = definition.work;
    const written = work === undefined ? null : new ImportedWork(work.entity);

    const flush = async (rows: Row<V>[]) => {
      if (rows.length === 0) return;
      const prepared = await definition.prepare(trx, rows, refs, report);
      const values: W[] = [];
      const rowOf: number[] = [];
      for (let i = 0; i < rows.length; i++) {
        const value = prepared[i];
        if (value !== undefined) {
          values.push(value);
          rowOf.push(rows[i]!.row);
        }
      }
      const existing = values.length ? await definition.loadExisting(trx, values) : new Map();
      const inserts: W[] = [];
      const updates: Changed<W, E>[] = [];
      let unchanged = 0;
      for (let i = 0; i < values.length; i++) {
        const value = values[i]!;
        const stored = existing.get(definition.storedKey(value));
        if (stored === undefined) {
          inserts.push(value);
          continue;
        }
        const comparison = definition.compare(stored, value);
        if (comparison === 'unchanged') unchanged++;
        else if (comparison === 'changed') updates.push({ existing: stored, value });
        else report(rowOf[i]!, comparison.field, comparison.message);
      }
      if (writing()) {
        if (inserts.length) await definition.insert(trx, inserts, now, options);
        if (updates.length) await definition.update(trx, updates, now);
        if (written !== null) {
          for (const value of inserts) note(written, work!.place(value));
          for (const change of updates) note(written, work!.place(change.value));
        }
      }
      summary.inserted += inserts.length;
      summary.updated += updates.length;
      summary.unchanged += unchanged;
      options.onProgress?.(summary.rows);
    };

    const readRows = async () => {
      for await (const record of records) {
        const row = ++summary.rows + 1;
        reader.start(record, row);
        const cellCount = record[FIELD_COUNT];
        if (cellCount !== undefined) {
          reader.fail('(row)', `has ${cellCount} cells; the header has ${columnCount}`);
          continue;
        }
        const value = definition.parse(reader);
        if (reader.failed) continue;
        const key = definition.key(value);
        const first = firstRowOfKey.get(key);
        if (first !== undefined) {
          report(
            row,
            keyColumn,
            `duplicate: row ${first} has the same ${definition.keyColumns.join(' + ')}`,
          );
          continue;
        }
        firstRowOfKey.set(key, row);
        buffer.push({ row, value });
        if (!definition.wholeFile && buffer.length >= CHUNK_ROWS) {
          // One chunk is written while the next is parsed: the database and the parser run on
          // different cores, and neither waits for the other more than one chunk's worth.
          await inFlight;
          inFlight = flush(buffer);
          // Marked as handled now, awaited (and rethrown) before the next chunk or at the end.
          inFlight.catch(() => undefined);
          buffer = [];
        }
      }
    };
    try {
      await readRows();
    } catch (error) {
      // Never leave the transaction with a statement of the chunk in flight still running.
      await inFlight.catch(() => undefined);
      throw error;
    }
    await inFlight;
    await flush(buffer);

    issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    // Throwing inside the transaction also undoes the chunks written before the first error.
    if (!writing()) throw invalidFile(definition.kind, summary);
    summary.skipped = summary.rows - summary.inserted - summary.updated - summary.unchanged;
    if (written !== null) {
      const findings = await checkImportedWork(withDb(ctx, trx), actor, written);
      if (findings !== undefined) summary.findings = findings;
    }
    await appendAuditEvent(
      trx,
      actor,
      {
        action: `import.${definition.kind}`,
        entityType: 'import',
        entityId: null,
        after: {
          kind: summary.kind,
          rows: summary.rows,
          inserted: summary.inserted,
          updated: summary.updated,
          unchanged: summary.unchanged,
          skipped: summary.skipped,
          sha256: digest(),
        },
      },
      now,
    );
  });
  return summary;
}

function note(written: ImportedWork, place: WorkPlace): void {
  written.add(place.matterId, place.date, place.externalId);
}

function invalidFile(kind: string, summary: ImportSummary): AppError {
  const issues = summary.errors;
  const invalidRows = new Set(issues.map((issue) => issue.row)).size;
  return new AppError(
    'validation',
    'IMPORT_INVALID',
    `${invalidRows} invalid row(s) in ${kind}: nothing was imported.`,
    {
      issues,
      summary: { ...summary, inserted: 0, updated: 0, unchanged: 0, skipped: summary.rows },
    },
  );
}
