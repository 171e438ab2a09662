/**
 * The save-time check: when an entry or expense is created, changed or released, it is judged
 * with its same-day neighbours and the exceptions of everything whose findings may have moved
 * are synced, inside the caller's transaction. The inputs are built exactly as the pre-bill
 * scan builds them, so one entry checked now gets the findings a scan of its day would give.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/policy.js';
import { evaluateWork } from './evaluate-work.js';
import { syncExceptions } from './exception-sync.js';
import { findLiveExceptions } from './exceptions.repository.js';
import { OwnerDirectory, ownerTimekeepers } from './owners.js';
import { hasEntryRules, loadClientRules, type ClientRules } from './rules-for-client.js';
import { attachRefs, fingerprintOf, type ScanFinding } from './scan-finding.js';
import { isUnbilled, WorkContext, type WorkRef } from './work-input.js';
import { buildBatch, type WorkBatch } from './work-loader.js';
import * as days from './work-days.repository.js';
import * as repo from './work.repository.js';

/** Where a changed entry was before the change, so its old day's neighbours are re-judged. */
export interface PreviousPlace {
  date: string;
  matterId: number;
  timekeeperId?: number | null;
}

// Late entries are judged against a billed period, which a single save does not have; the
// pre-bill scan owns those exceptions.
const NOT_JUDGED_AT_SAVE = new Set(['late_entry']);

/** Checks a time entry and returns its findings (with the exception each one stands as). */
export async function checkTimeEntry(
  trx: Kysely<DB>,
  actor: Actor,
  entryId: number,
  now: Date,
  previous?: PreviousPlace,
): Promise<ScanFinding[]> {
  const entry = await days.findEntry(trx, entryId);
  if (entry === undefined) return [];
  const self: WorkRef = {
    entity: 'time_entry',
    id: entry.id,
    matterId: entry.matter_id,
    timekeeperId: entry.timekeeper_id,
  };
  const rules = await rulesOrNothing(trx, entry.client_id, self);
  if (rules === null) return [];

  const places = [{ date: entry.work_date, matterId: entry.matter_id, tk: entry.timekeeper_id }];
  if (previous) places.push({ ...previous, tk: previous.timekeeperId ?? entry.timekeeper_id });
  await days.lockClientDays(
    trx,
    entry.client_id,
    places.map((p) => p.date),
  );
  // Two hops: the entry's neighbours are re-judged too, so load their neighbours as well.
  const first = await days.findEntriesOfDays(
    trx,
    entry.client_id,
    unique(places.map((p) => p.date)),
    unique(places.map((p) => p.tk)),
    unique(places.map((p) => p.matterId)),
  );
  const judged = first.filter((row) => isUnbilled(row));
  const rows =
    judged.length === 0
      ? []
      : await days.findEntriesOfDays(
          trx,
          entry.client_id,
          unique(judged.map((r) => r.work_date)),
          unique(judged.map((r) => r.timekeeper_id)),
          unique(judged.map((r) => r.matter_id)),
        );
  const judgedIds = new Set(judged.map((r) => r.id));
  const context = await loadContext(trx, entry.client_id, self, rows, [], judged);
  const batch = buildBatch(context, rows, [], (row) => judgedIds.has(row.id));
  return judgeAndSync(trx, actor, now, rules, batch, self);
}

/** Checks an expense and returns its findings (with the exception each one stands as). */
export async function checkExpense(
  trx: Kysely<DB>,
  actor: Actor,
  expenseId: number,
  now: Date,
  previous?: PreviousPlace,
): Promise<ScanFinding[]> {
  const expense = await days.findExpense(trx, expenseId);
  if (expense === undefined) return [];
  const self: WorkRef = {
    entity: 'expense',
    id: expense.id,
    matterId: expense.matter_id,
    timekeeperId: expense.timekeeper_id,
  };
  const rules = await rulesOrNothing(trx, expense.client_id, self);
  if (rules === null) return [];
  const places = [{ date: expense.expense_date, matterId: expense.matter_id }];
  if (previous) places.push(previous);
  await days.lockClientDays(
    trx,
    expense.client_id,
    places.map((p) => p.date),
  );
  // Expense rules compare an expense only with the same matter's expenses that day: one hop.
  const rows = await days.findExpensesOfDays(
    trx,
    unique(places.map((p) => p.date)),
    unique(places.map((p) => p.matterId)),
  );
  const context = await loadContext(trx, expense.client_id, self, [], rows, []);
  const batch = buildBatch(context, [], rows, (row) => isUnbilled(row));
  return judgeAndSync(trx, actor, now, rules, batch, self);
}

/**
 * The client's rules, or null when nothing needs doing: no rule applies and the item has no
 * live exception to resolve.
 */
async function rulesOrNothing(
  trx: Kysely<DB>,
  clientId: number,
  self: WorkRef,
): Promise<ClientRules | null> {
  const rules = await loadClientRules(trx, clientId);
  if (hasEntryRules(rules)) return rules;
  const live = await findLiveExceptions(
    trx,
    self.entity === 'time_entry' ? [self.id] : [],
    self.entity === 'expense' ? [self.id] : [],
  );
  return live.length === 0 ? null : rules;
}

/** Matters, approvals and rates for the loaded rows; approvals matter only to judged entries. */
async function loadContext(
  trx: Kysely<DB>,
  clientId: number,
  self: WorkRef,
  entries: readonly repo.WorkEntryRow[],
  expenses: readonly repo.WorkExpenseRow[],
  judgedEntries: readonly repo.WorkEntryRow[],
): Promise<WorkContext> {
  const matterIds = unique([self.matterId, ...[...entries, ...expenses].map((r) => r.matter_id)]);
  const dates = entries.map((r) => r.work_date).sort();
  const unvalued = unique(entries.filter((r) => r.rate_cents === null).map((r) => r.timekeeper_id));
  const [client, matters, approvals, rates] = await Promise.all([
    repo.findClientById(trx, clientId),
    repo.findMatters(trx, matterIds),
    repo.findApprovals(trx, unique(judgedEntries.map((r) => r.matter_id))),
    dates.length === 0
      ? []
      : repo.findRateCandidatesForClient(trx, clientId, unvalued, dates[0]!, dates.at(-1)!),
  ]);
  return new WorkContext(client!, matters, approvals, rates);
}

async function judgeAndSync(
  trx: Kysely<DB>,
  actor: Actor,
  now: Date,
  rules: ClientRules,
  batch: WorkBatch,
  self: WorkRef,
): Promise<ScanFinding[]> {
  const findings = attachRefs(evaluateWork(rules, batch.input), batch.refs);
  // The item itself is always synced: once inactive or billed it is no longer judged, and its
  // open exceptions resolve.
  const judged = new Map<string, WorkRef>();
  for (const ref of batch.refs.values()) judged.set(`${ref.entity}|${ref.id}`, ref);
  judged.set(`${self.entity}|${self.id}`, self);
  const matters = new Map<number, repo.WorkMatterRow>();
  const matterOf = (id: number) => {
    let matter = matters.get(id);
    if (matter === undefined) {
      matter = batch.context.matter(id);
      matters.set(id, matter);
    }
    return matter;
  };
  for (const ref of judged.values()) matterOf(ref.matterId);
  const owners = await OwnerDirectory.load(
    trx,
    ownerTimekeepers(judged.values(), matters.values()),
  );
  const synced = await syncExceptions(trx, actor, now, {
    judged: judged.values(),
    findings,
    rules,
    owners,
    matterOf,
    unevaluatedKinds: NOT_JUDGED_AT_SAVE,
  });
  const own = findings.filter((f) => f.entity === self.entity && f.entityDbId === self.id);
  for (const finding of own)
    finding.exception = synced.exceptions.get(
      fingerprintOf(finding.ruleId, finding.entity, finding.entityDbId),
    );
  return own;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
