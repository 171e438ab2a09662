import type { Kysely } from 'kysely';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { DB } from '../../db/schema.js';
import type { FieldIssue } from '../../domain/errors.js';
import { validationError } from '../../domain/errors.js';
import { parseGuideline, type Guideline } from '../../domain/guidelines/index.js';
import { findClientByCode } from '../shared/references.repository.js';

/** A valid guideline document with its client resolved (null for the firm-wide one). */
export interface ReadGuideline {
  guideline: Guideline;
  clientId: number | null;
}

/**
 * Parses a guideline document and resolves its client code. The document is accepted whole or
 * rejected with GUIDELINE_INVALID listing every problem by line and column, an unknown client
 * included, so legal ops can fix a client's guideline in one pass.
 */
export async function readGuidelineDocument(db: Kysely<DB>, text: string): Promise<ReadGuideline> {
  const issues: FieldIssue[] = [];
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    // The database cannot store NUL in text, and no guideline needs one.
    issues.push({
      ...positionOf(text, nul),
      field: '',
      message: 'the document contains a NUL character',
    });
  }
  const parsed = parseGuideline(text);
  const errors = 'errors' in parsed ? parsed.errors : [];
  for (const e of errors)
    issues.push({ line: e.line, column: e.column, field: e.path, message: e.message });

  let clientId: number | null = null;
  const client = locateClient(text);
  if (client !== null && client.code !== '*' && !errors.some((e) => e.path === 'client')) {
    const row = await findClientByCode(db, client.code);
    if (row) clientId = row.id;
    else
      issues.push({
        line: client.line,
        column: client.column,
        field: 'client',
        message: `no client with code "${client.code}"; add the client first, or use "*" for the firm-wide guideline`,
      });
  }

  if (issues.length > 0 || !('guideline' in parsed)) {
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw validationError(
      'GUIDELINE_INVALID',
      `The guideline document has ${issues.length} problem(s); nothing was changed.`,
      issues,
    );
  }
  return { guideline: parsed.guideline, clientId };
}

/** The `client` value of a document and where it is written, read even when other parts are broken. */
export function locateClient(text: string): { code: string; line: number; column: number } | null {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return null;
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key) || pair.key.value !== 'client') continue;
    if (!isScalar(pair.value) || typeof pair.value.value !== 'string') return null;
    const pos = lines.linePos(pair.value.range?.[0] ?? 0);
    return { code: pair.value.value, line: pos.line, column: pos.col };
  }
  return null;
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
