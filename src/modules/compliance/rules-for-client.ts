/**
 * The compiled rules that apply to a client's work: its active guideline merged with the active
 * firm-wide one. Compiled once per pair of versions and kept in process; the cache key holds
 * both version ids, so activating a new version simply misses the cache.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { IsoDate } from '../../domain/dates.js';
import {
  compileGuideline,
  effectiveRules,
  restrictToKinds,
  type CompiledGuideline,
  type Finding,
  type Guideline,
  type RuleKind,
} from '../../domain/guidelines/index.js';
import {
  findActiveVersions,
  findDocuments,
  type ActiveVersionRow,
} from './active-guidelines.repository.js';

/**
 * Rules by the first work date they apply to, latest first. Work dated before a guideline's
 * effective_from is judged without that guideline: a client's new guideline does not reach
 * back to work done under the old terms.
 */
export interface ClientRules {
  readonly segments: readonly { readonly from: IsoDate; readonly compiled: CompiledGuideline }[];
  /** guideline_version ids by the guideline id and version that findings cite. */
  readonly versionIds: ReadonlyMap<string, number>;
}

export const NO_RULES: ClientRules = { segments: [], versionIds: new Map() };

/** Rules given as one compiled guideline (a draft in the sandbox) apply to work of any date. */
export function rulesFromCompiled(compiled: CompiledGuideline): ClientRules {
  return { segments: [{ from: '0000-01-01', compiled }], versionIds: new Map() };
}

/** True when some rule would judge time entries or expenses. */
export function hasEntryRules(rules: ClientRules): boolean {
  return rules.segments.some((segment) => segment.compiled.entryRules.length > 0);
}

const restricted = new WeakMap<ClientRules, Map<string, ClientRules>>();

/**
 * The same rules with only the entry rules of `kinds`, segment by segment (and version ids
 * kept, so findings still cite their version). Kept beside the cached rules they restrict.
 */
export function restrictRules(rules: ClientRules, kinds: ReadonlySet<RuleKind>): ClientRules {
  const key = [...kinds].sort().join(',');
  let byKinds = restricted.get(rules);
  if (byKinds === undefined) {
    byKinds = new Map();
    restricted.set(rules, byKinds);
  }
  let result = byKinds.get(key);
  if (result === undefined) {
    result = {
      segments: rules.segments.map((s) => ({
        from: s.from,
        compiled: restrictToKinds(s.compiled, kinds),
      })),
      versionIds: rules.versionIds,
    };
    byKinds.set(key, result);
  }
  return result;
}

/** The rules for work dated `date`, or null when no guideline was in effect yet. */
export function rulesOn(rules: ClientRules, date: IsoDate): CompiledGuideline | null {
  for (const segment of rules.segments) if (segment.from <= date) return segment.compiled;
  return null;
}

/** The guideline_version row a finding's rule came from, when it came from a stored version. */
export function versionIdOf(rules: ClientRules, finding: Finding): number | null {
  if (finding.guidelineId === undefined || finding.guidelineVersion === undefined) return null;
  return rules.versionIds.get(`${finding.guidelineId}#${finding.guidelineVersion}`) ?? null;
}

interface LoadedVersion {
  row: ActiveVersionRow;
  guideline: Guideline;
}

const CACHE_LIMIT = 256;
const cache = new Map<string, ClientRules>();

/** Transactions that read each client's rules once (see `readRulesOncePer`). */
const perTransaction = new WeakMap<Kysely<DB>, Map<number, ClientRules>>();

/**
 * From now on, this transaction reads each client's active rules once and reuses them: for a
 * transaction that saves many entries and activates no guideline.
 */
function readRulesOncePer(trx: Kysely<DB>): void {
  if (!perTransaction.has(trx)) perTransaction.set(trx, new Map());
}

/** The active rules for a client's work (firm-wide plus the client's own), compiled. */
export async function loadClientRules(db: Kysely<DB>, clientId: number): Promise<ClientRules> {
  const memo = perTransaction.get(db);
  const known = memo?.get(clientId);
  if (known !== undefined) return known;
  const rules = await readClientRules(db, clientId);
  memo?.set(clientId, rules);
  return rules;
}

async function readClientRules(db: Kysely<DB>, clientId: number): Promise<ClientRules> {
  return rulesOfVersions(db, await findActiveVersions(db, clientId));
}

/**
 * Remembers, for the rest of the transaction, the rules of each client from active versions
 * already read (firm-wide ones and the clients' own), so `loadClientRules` reads nothing more.
 */
export async function primeClientRules(
  trx: Kysely<DB>,
  clientIds: readonly number[],
  versions: readonly ActiveVersionRow[],
): Promise<void> {
  readRulesOncePer(trx);
  const memo = perTransaction.get(trx)!;
  for (const clientId of new Set(clientIds)) {
    const applying = versions.filter((v) => v.client_id === null || v.client_id === clientId);
    memo.set(clientId, await rulesOfVersions(trx, applying));
  }
}

/** The rules of a client's active firm-wide and own versions (compiled once per pair). */
async function rulesOfVersions(
  db: Kysely<DB>,
  rows: readonly ActiveVersionRow[],
): Promise<ClientRules> {
  const firmRow = rows.find((row) => row.client_id === null) ?? null;
  const clientRow = rows.find((row) => row.client_id !== null) ?? null;
  if (firmRow === null && clientRow === null) return NO_RULES;
  const key = `${firmRow?.id ?? 0}:${clientRow?.id ?? 0}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;

  const documents = await findDocuments(
    db,
    rows.map((row) => row.id),
  );
  const loaded = (row: ActiveVersionRow | null): LoadedVersion | null =>
    row === null ? null : { row, guideline: guidelineOf(documents.get(row.id)) };
  const rules = buildClientRules(loaded(firmRow), loaded(clientRow));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, rules);
  return rules;
}

function guidelineOf(document: unknown): Guideline {
  return (typeof document === 'string' ? JSON.parse(document) : document) as Guideline;
}

function buildClientRules(firm: LoadedVersion | null, client: LoadedVersion | null): ClientRules {
  const versionIds = new Map<string, number>();
  for (const v of [firm, client]) {
    if (v !== null) versionIds.set(`${v.guideline.id}#${v.row.version}`, v.row.id);
  }
  const starts = [
    ...new Set([firm?.row.effective_from, client?.row.effective_from].filter((d) => d)),
  ] as IsoDate[];
  const segments = starts
    .sort()
    .reverse()
    .map((from) => {
      const inEffect = (v: LoadedVersion | null) =>
        v !== null && v.row.effective_from <= from ? v : null;
      return { from, compiled: compileMerged(inEffect(firm), inEffect(client)) };
    });
  return { segments, versionIds };
}

/**
 * Compiles the merged rules with each rule's own source, so a finding names the version its
 * rule came from. `effectiveRules` lists the firm's surviving rules first, then the client's.
 */
function compileMerged(
  firm: LoadedVersion | null,
  client: LoadedVersion | null,
): CompiledGuideline {
  const all = effectiveRules(firm?.guideline ?? null, client?.guideline ?? null);
  const clientCount = effectiveRules(null, client?.guideline ?? null).length;
  const firmPart = compileGuideline(all.slice(0, all.length - clientCount), sourceOf(firm));
  const clientPart = compileGuideline(all.slice(all.length - clientCount), sourceOf(client));
  return {
    entryRules: [...firmPart.entryRules, ...clientPart.entryRules],
    invoiceRules: [...firmPart.invoiceRules, ...clientPart.invoiceRules],
  };
}

function sourceOf(version: LoadedVersion | null) {
  return version === null
    ? {}
    : { guidelineId: version.guideline.id, guidelineVersion: version.row.version };
}
