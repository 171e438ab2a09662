/**
 * Timekeeper classification codes as written to TIMEKEEPER_CLASSIFICATION. Portals differ: some
 * accept only the five original 1998B codes, others only the LOC 2014 revised codes, so the code is
 * mapped per client.
 */

/**
 * `original` writes the five 1998B codes (PT, AS, OC, LA, OT) and maps Matterflow's PL (paralegal),
 * which has no original code, to LA (Legal Assistant). A custom map names the client's code for each
 * Matterflow classification (e.g. `{ PT: 'PARTNR', AS: 'ASSOC' }`).
 */
export type ClassificationMapping = 'original' | { custom: Readonly<Record<string, string>> };

const ORIGINAL: Readonly<Record<string, string>> = {
  PT: 'PT',
  AS: 'AS',
  OC: 'OC',
  LA: 'LA',
  OT: 'OT',
  PL: 'LA',
};

/** The code to write for `classification`, or null when the mapping has none (never guessed). */
export function mapClassification(
  classification: string,
  mapping: ClassificationMapping,
): string | null {
  const table = mapping === 'original' ? ORIGINAL : mapping.custom;
  return Object.hasOwn(table, classification) ? (table[classification] ?? null) : null;
}
