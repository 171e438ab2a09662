import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { AppContext } from '../../config/context.js';
import { AppError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { isAllowed } from '../../domain/policy.js';
import type { ImportKind } from './import.service.js';
import { KIND_DEFINITIONS } from './kinds/index.js';

/** Rows per keyset page: PGlite cannot stream a cursor, so large exports read page by page. */
export const EXPORT_PAGE_ROWS = 5_000;

/**
 * Writes every active row of `kind` as CSV in the import format (codes rather than ids), so an
 * export imports back with every row unchanged. Returns the number of data rows written; the
 * output is left open for the caller to end.
 */
export async function exportCsv(
  ctx: AppContext,
  actor: Actor,
  kind: ImportKind,
  output: NodeJS.WritableStream,
): Promise<number> {
  const definition = KIND_DEFINITIONS[kind];
  if (!isAllowed(actor, 'export', definition.resource)) {
    throw new AppError(
      'forbidden',
      'EXPORT_FORBIDDEN',
      `Your roles do not allow exporting ${kind}.`,
    );
  }
  await write(output, stringify([definition.columns]));
  let after: unknown = null;
  let count = 0;
  do {
    const page = await definition.exportPage(ctx.db, after, EXPORT_PAGE_ROWS);
    if (page.rows.length) await write(output, stringify(page.rows));
    count += page.rows.length;
    after = page.next;
  } while (after !== null);
  return count;
}

async function write(output: NodeJS.WritableStream, text: string): Promise<void> {
  if (!output.write(text)) await once(output as NodeJS.EventEmitter, 'drain');
}
