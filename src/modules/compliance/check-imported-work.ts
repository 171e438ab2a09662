/**
 * Checking work written by a CSV import, inside the import's transaction: the affected clients'
 * days are scanned in bulk (entries and their neighbours), and the exceptions synced.
 */
import type { AppContext } from '../../config/context.js';
import type { Actor } from '../../domain/policy.js';
import { countBySeverity } from './findings.schemas.js';
import { scanWork } from './scan.js';
import * as repo from './work.repository.js';

/** What an import wrote: the dates per matter, and the external ids to report on. */
export class ImportedWork {
  readonly #datesByMatter = new Map<number, { from: string; to: string }>();
  readonly externalIds = new Set<string>();

  constructor(readonly entity: 'time_entry' | 'expense') {}

  add(matterId: number, date: string, externalId: string): void {
    this.externalIds.add(externalId);
    const dates = this.#datesByMatter.get(matterId);
    if (dates === undefined) this.#datesByMatter.set(matterId, { from: date, to: date });
    else if (date < dates.from) dates.from = date;
    else if (date > dates.to) dates.to = date;
  }

  get matterIds(): number[] {
    return [...this.#datesByMatter.keys()];
  }

  datesOf(matterId: number): { from: string; to: string } {
    return this.#datesByMatter.get(matterId)!;
  }
}

/** Findings on the imported rows, by severity; undefined when no guideline applies to them. */
export type ImportFindings = { block: number; warn: number; adjust: number };

/**
 * Scans each affected client from the earliest to the latest imported date and syncs its
 * exceptions; counts the findings on the imported rows themselves.
 */
export async function checkImportedWork(
  ctx: AppContext,
  actor: Actor,
  work: ImportedWork,
): Promise<ImportFindings | undefined> {
  if (work.externalIds.size === 0) return undefined;
  const windows = new Map<number, { from: string; to: string }>();
  for (const matter of await repo.findMatters(ctx.db, work.matterIds)) {
    const dates = work.datesOf(matter.id);
    const window = windows.get(matter.client_id);
    if (window === undefined) windows.set(matter.client_id, { ...dates });
    else {
      if (dates.from < window.from) window.from = dates.from;
      if (dates.to > window.to) window.to = dates.to;
    }
  }
  let judged = 0;
  const findings = [];
  for (const [clientId, window] of windows) {
    const client = (await repo.findClientById(ctx.db, clientId))!;
    // Without a billed period late entries are not judged here; the pre-bill check judges them.
    const result = await scanWork(
      ctx,
      actor,
      { ...window, clientCode: client.client_code },
      { sync: true, period: false },
    );
    judged += result.entriesChecked + result.expensesChecked;
    for (const f of result.findings)
      if (f.entity === work.entity && work.externalIds.has(f.entityId)) findings.push(f);
  }
  return judged === 0 ? undefined : countBySeverity(findings);
}
