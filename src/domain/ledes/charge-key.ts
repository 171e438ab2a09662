/**
 * A 53-bit hash of the fields that identify a charge, for the duplicate-charge warning. Hashing
 * instead of building a string key per line keeps validation fast and flat in memory on large
 * files; two 32-bit hashes make a false match about one in 10^15 per pair of lines, and a false
 * match would only raise a warning.
 */

let h1 = 0;
let h2 = 0;

function mixCode(code: number): void {
  h1 = Math.imul(h1 ^ code, 0x01000193);
  h2 = Math.imul(h2 ^ code, 0x5bd1e995);
  h2 ^= h2 >>> 13;
}

function mixText(text: string): void {
  for (let i = 0; i < text.length; i++) mixCode(text.charCodeAt(i));
  // A separator outside any character code, so ("ab", "c") and ("a", "bc") differ.
  mixCode(0x10000);
}

function mixNumber(value: number): void {
  mixCode(value | 0);
  mixCode(Math.floor(value / 0x100000000) | 0);
}

/** Hash of invoice, type, date, timekeeper, units, unit cost and description. */
export function chargeKey(
  invoice: string,
  type: string,
  date: string,
  timekeeper: string,
  units: number,
  cost: number,
  description: string,
): number {
  h1 = 0x811c9dc5 | 0;
  h2 = 0x2545f491;
  mixText(invoice);
  mixText(type);
  mixText(date);
  mixText(timekeeper);
  mixNumber(units);
  mixNumber(cost);
  mixText(description);
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}
