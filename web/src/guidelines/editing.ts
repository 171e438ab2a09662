/** Pure helpers of the guideline editor: problems by line, and where a line starts. */
import { ApiError } from '../api/client';

/** One problem the API found in a guideline document, where it says. */
export interface DocumentProblem {
  field: string;
  message: string;
  line: number | null;
  column: number | null;
}

/**
 * The problems of a refused guideline document (400 GUIDELINE_INVALID and the like carry
 * `details.issues[]` with line and column), in document order; [] for any other error.
 */
export function documentProblems(error: unknown): DocumentProblem[] {
  if (!(error instanceof ApiError) || error.status !== 400) return [];
  const issues = (error.details as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return [];
  const problems = issues.map((raw): DocumentProblem => {
    const issue = raw as Record<string, unknown>;
    return {
      field: typeof issue.field === 'string' ? issue.field : '',
      message: typeof issue.message === 'string' ? issue.message : String(issue.message),
      line: typeof issue.line === 'number' ? issue.line : null,
      column: typeof issue.column === 'number' ? issue.column : null,
    };
  });
  return problems.sort(
    (a, b) =>
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/** The problems on each line (1-based), for the editor's margin. */
export function problemsByLine(
  problems: readonly DocumentProblem[],
): Map<number, DocumentProblem[]> {
  const byLine = new Map<number, DocumentProblem[]>();
  for (const problem of problems) {
    if (problem.line === null) continue;
    const list = byLine.get(problem.line) ?? [];
    list.push(problem);
    byLine.set(problem.line, list);
  }
  return byLine;
}

/**
 * The text offset of a 1-based line and column, clamped to the text: a problem reported past the
 * end of a line (or of the document, after an edit) lands on the nearest real position.
 */
export function offsetOf(text: string, line: number, column = 1): number {
  let start = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return text.length;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  const lineEnd = end < 0 ? text.length : end;
  return Math.min(start + Math.max(column, 1) - 1, lineEnd);
}

/** How many lines the editor shows for a text (an empty text still has line 1). */
export function lineCount(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** "field: message" in words, for the problem list ("rules[0].kind: unknown kind …"). */
export function problemText(problem: DocumentProblem): string {
  return problem.field === '' ? problem.message : `${problem.field}: ${problem.message}`;
}
