/**
 * Lookups over the UTBMS code sets: validity checks for LEDES lines and rules, and a ranked
 * search for pickers.
 */
import { ACTIVITY_CODES, EXPENSE_CODES } from './activity-expense-codes.js';
import { TASK_CODES } from './task-codes.js';
import type { TaskCodeSet, UtbmsCode, UtbmsCodeSet, UtbmsKind } from './utbms-code.js';

export type { TaskCodeSet, UtbmsCode, UtbmsCodeSet, UtbmsKind } from './utbms-code.js';
export { ACTIVITY_CODES, EXPENSE_CODES, TASK_CODES };

/** Every known code: task sets, then activities, then expenses. */
export const ALL_CODES: readonly UtbmsCode[] = [...TASK_CODES, ...ACTIVITY_CODES, ...EXPENSE_CODES];

// Codes are unique across sets (each set has its own letter), so one map serves every lookup.
const BY_CODE = new Map<string, UtbmsCode>(ALL_CODES.map((entry) => [entry.code, entry]));

const WORD_SPLIT = /[^a-z0-9]+/;
const NAME_WORDS = new Map<UtbmsCode, readonly string[]>(
  ALL_CODES.map((entry) => [entry, entry.name.toLowerCase().split(WORD_SPLIT).filter(Boolean)]),
);

/** Finds a code as a person would type it (case and surrounding spaces ignored). */
export function findCode(code: string): UtbmsCode | undefined {
  return BY_CODE.get(code.trim().toUpperCase());
}

/**
 * True when `code` is a task code of `set` ('any' = any of the four task sets), exactly as it
 * must appear in a LEDES file. Phase roll-ups count as valid; rules decide whether to allow them.
 */
export function isValidTaskCode(code: string, set: TaskCodeSet | 'any'): boolean {
  const entry = BY_CODE.get(code);
  return entry !== undefined && entry.kind === 'task' && (set === 'any' || entry.set === set);
}

/** True when `code` is one of the activity codes A101–A111, exactly as written in a LEDES file. */
export function isValidActivityCode(code: string): boolean {
  return BY_CODE.get(code)?.kind === 'activity';
}

/** True when `code` is one of the expense codes E101–E124, exactly as written in a LEDES file. */
export function isValidExpenseCode(code: string): boolean {
  return BY_CODE.get(code)?.kind === 'expense';
}

/** Options narrowing a code search. */
export interface CodeSearchOptions {
  kind?: UtbmsKind;
  set?: UtbmsCodeSet;
  /** Most results to return; all matches when omitted. */
  limit?: number;
}

/**
 * Searches codes for a picker. Ranks an exact code first, then codes starting with the query,
 * then codes whose name has a word starting with every query word; table order within a rank.
 * An empty query lists every code that passes the filters.
 */
export function searchCodes(query: string, options: CodeSearchOptions = {}): UtbmsCode[] {
  const upper = query.trim().toUpperCase();
  const words = query.toLowerCase().split(WORD_SPLIT).filter(Boolean);
  const ranked: UtbmsCode[][] = [[], [], []];
  for (const entry of ALL_CODES) {
    if (options.kind !== undefined && entry.kind !== options.kind) continue;
    if (options.set !== undefined && entry.set !== options.set) continue;
    const rank = rankOf(entry, upper, words);
    if (rank !== null) ranked[rank]?.push(entry);
  }
  const results = ranked.flat();
  return options.limit === undefined ? results : results.slice(0, options.limit);
}

function rankOf(entry: UtbmsCode, upper: string, words: readonly string[]): number | null {
  if (upper === '' || entry.code === upper) return 0;
  if (entry.code.startsWith(upper)) return 1;
  if (words.length === 0) return null;
  const nameWords = NAME_WORDS.get(entry) ?? [];
  const allMatch = words.every((word) => nameWords.some((nameWord) => nameWord.startsWith(word)));
  return allMatch ? 2 : null;
}
