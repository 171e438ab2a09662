/**
 * One set of result parsers for both PGlite and node-postgres, so both databases hand the
 * application identical values: int8 as a safe-integer number (ids, cents, counts), numeric as
 * its exact decimal string (hours), date as its `YYYY-MM-DD` string (no time-zone shifts).
 */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new RangeError(`int8 value ${text} exceeds the safe integer range`);
  return value;
}

const identity = (text: string): string => text;

export const TYPE_PARSERS: Record<number, (text: string) => unknown> = {
  [INT8]: parseInt8,
  [NUMERIC]: identity,
  [DATE]: identity,
};
