import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { documentProblems, lineCount, offsetOf, problemsByLine } from './editing';

const refused = (issues: unknown) =>
  new ApiError(400, 'GUIDELINE_INVALID', 'The guideline document has 2 problem(s).', { issues });

describe('guideline editor helpers', () => {
  it('reads the problems of a refused document in document order', () => {
    const problems = documentProblems(
      refused([
        { field: 'rules[1].kind', message: 'unknown kind', line: 12, column: 11 },
        { field: 'client', message: 'no client', line: 2, column: 9 },
        { field: '', message: 'a NUL character' },
      ]),
    );
    expect(problems).toEqual([
      { field: 'client', message: 'no client', line: 2, column: 9 },
      { field: 'rules[1].kind', message: 'unknown kind', line: 12, column: 11 },
      { field: '', message: 'a NUL character', line: null, column: null },
    ]);
    expect([...problemsByLine(problems).keys()]).toEqual([2, 12]);
  });

  it('finds no document problems in other errors', () => {
    expect(documentProblems(new ApiError(403, 'FORBIDDEN', 'no', null))).toEqual([]);
    expect(documentProblems(new Error('boom'))).toEqual([]);
    expect(documentProblems(refused('not a list'))).toEqual([]);
  });

  it('turns a line and column into a text offset, clamped to the line and the text', () => {
    const text = 'id: a\nclient: NWL\nrules:\n';
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(offsetOf(text, 2, 9)).toBe(14);
    expect(text.slice(offsetOf(text, 2, 9))).toMatch(/^NWL/);
    expect(offsetOf(text, 2, 80)).toBe(17);
    expect(offsetOf(text, 9, 1)).toBe(text.length);
    expect(offsetOf(text, 3)).toBe(18);
  });

  it('counts lines as the editor numbers them', () => {
    expect(lineCount('')).toBe(1);
    expect(lineCount('a')).toBe(1);
    expect(lineCount('a\nb\n')).toBe(3);
  });
});
