import { z } from 'zod';
import { AppError } from '../domain/errors.js';

/** Query parameters every list endpoint accepts. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional().describe("Opaque cursor from the previous page's next_cursor."),
});

/** The envelope of every list response. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}

/** Keyset cursors: the last id seen, encoded so clients treat it as opaque. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      after?: unknown;
    };
    if (typeof parsed.after === 'number' && Number.isSafeInteger(parsed.after)) return parsed.after;
  } catch {
    // fall through to the error below
  }
  throw new AppError(
    'validation',
    'INVALID_CURSOR',
    'The cursor is not valid; start again without it.',
    {
      issues: [{ field: 'query.cursor', message: 'is not a cursor this API issued' }],
    },
  );
}

/** Cuts one extra row fetched beyond `limit` into the next cursor. */
export function toPage<T extends { id: number }>(
  rows: T[],
  limit: number,
): { items: T[]; next_cursor: string | null } {
  if (rows.length <= limit) return { items: rows, next_cursor: null };
  const items = rows.slice(0, limit);
  return { items, next_cursor: encodeCursor(items[items.length - 1]!.id) };
}
