/**
 * The save-time check: when an entry or expense is created, changed or released, it is judged
 * with its same-day neighbours and the exceptions of everything whose findings may have moved
 * are synced, inside the caller's transaction. The inputs are built exactly as the pre-bill
 * scan builds them, so one entry checked now gets the findings a scan of its day would give.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import {
  MATTER_DAY_KINDS,
  TIMEKEEPER_DAY_KINDS,
  type EvaluationInput,
  type RuleKind,
  type TimeEntryInput,
} from '../../domain/guidelines/index.js';
import type { Actor } from '../../domain/policy.js';
import { evaluateWork } from './evaluate-work.js';
import { syncExceptions, type SyncScope } from './exception-sync.js';
import { findLiveExceptions } from './exceptions.repository.js';
import { OwnerDirectory, ownerTimekeepers } from './owners.js';
import {
  hasEntryRules,
  loadClientRules,
  restrictRules,
  type ClientRules,
} from './rules-for-client.js';
import { attachRefs, fingerprintOf, type ScanFinding } from './scan-finding.js';
import { entryRef, isUnbilled, refKey, WorkContext, type WorkRef } from './work-input.js';
import { buildBatch } from './work-loader.js';
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

/** The entry as a check needs it; a caller that has just written it can pass it along. */
export type CheckedEntry = NonNullable<Awaited<ReturnType<typeof days.findEntry>>>;

/**
 * Checks a time entry and returns its findings (with the exception each one stands as).
 *
 * The entry is judged on every rule, with its timekeeper-day (across the client's matters) and
 * matter-day as context. Saving it can move another entry's findings only through the
 * cross-entry kinds and only inside the groups it was or is in: daily hours and duplicates
 * through its timekeeper-days, internal conferences through its matter-days. So the other
 * unbilled entries of those groups are re-judged on those kinds alone, and their exceptions of
 * other kinds are left as they are. Every group involved is loaded whole by one query.
 */
export async function checkTimeEntry(
  trx: Kysely<DB>,
  actor: Actor,
  entryId: number,
  now: Date,
  previous?: PreviousPlace,
  known?: CheckedEntry,
): Promise<ScanFinding[]> {
  const entry = known ?? (await days.findEntry(trx, entryId));
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
  const rows = await days.findEntriesOfDays(
    trx,
    entry.client_id,
    unique(places.map((p) => p.date)),
    unique(places.map((p) => p.tk)),
    unique(places.map((p) => p.matterId)),
  );
  const selfRow = rows.find((row) => row.id === entry.id && isUnbilled(row));
  const context = await loadEntryContext(trx, entry.client_id, self, rows, selfRow);
  const live = {
    entryIds: new Set(rows.map((row) => row.id)),
    rows: rows.flatMap((row) => row.live_exceptions),
  };
  return judgeAndSync(
    trx,
    actor,
    now,
    rules,
    neighbourhood(context, rows, places, selfRow),
    self,
    live,
  );
}

/** Which rules judge which loaded entries at save time: the entry all, neighbours some. */
interface Neighbourhood {
  context: WorkContext;
  parts: { rules: (all: ClientRules) => ClientRules; input: EvaluationInput }[];
  refs: Map<string, WorkRef>;
  /** Neighbours judged on some kinds only, by `entity|id`. */
  kinds: Map<string, ReadonlySet<string>>;
}

const BOTH_DAY_KINDS: ReadonlySet<RuleKind> = new Set([
  ...TIMEKEEPER_DAY_KINDS,
  ...MATTER_DAY_KINDS,
]);

function neighbourhood(
  context: WorkContext,
  rows: readonly repo.WorkEntryRow[],
  places: readonly { date: string; matterId: number; tk: number }[],
  selfRow: repo.WorkEntryRow | undefined,
): Neighbourhood {
  const timekeeperDays = new Set(places.map((p) => `${p.tk}|${p.date}`));
  const matterDays = new Set(places.map((p) => `${p.matterId}|${p.date}`));
  const inputs = rows.map((row) => context.timeEntry(row));
  const refs = new Map<string, WorkRef>();
  const kinds = new Map<string, ReadonlySet<string>>();
  const groups = new Map<ReadonlySet<RuleKind>, TimeEntryInput[]>();
  let selfInput: TimeEntryInput | undefined;
  rows.forEach((row, i) => {
    if (row === selfRow) selfInput = inputs[i];
    if (row === selfRow || !isUnbilled(row)) return;
    const onTimekeeperDay = timekeeperDays.has(`${row.timekeeper_id}|${row.work_date}`);
    const onMatterDay = matterDays.has(`${row.matter_id}|${row.work_date}`);
    // Rows of other combinations of the places' dates, timekeepers and matters share no
    // group with the entry: their findings cannot have moved.
    if (!onTimekeeperDay && !onMatterDay) return;
    const set = onTimekeeperDay
      ? onMatterDay
        ? BOTH_DAY_KINDS
        : TIMEKEEPER_DAY_KINDS
      : MATTER_DAY_KINDS;
    let group = groups.get(set);
    if (group === undefined) groups.set(set, (group = []));
    group.push(inputs[i]!);
    refs.set(refKey('time_entry', row.entry_id), entryRef(row));
    kinds.set(`time_entry|${row.id}`, set);
  });
  const parts: Neighbourhood['parts'] = [];
  if (selfRow !== undefined && selfInput !== undefined) {
    refs.set(refKey('time_entry', selfRow.entry_id), entryRef(selfRow));
    parts.push({ rules: (all) => all, input: judging([selfInput], inputs) });
  }
  for (const [set, judged] of groups)
    parts.push({ rules: (all) => restrictRules(all, set), input: judging(judged, inputs) });
  return { context, parts, refs, kinds };
}

/** Judges `entries` with every loaded entry as context (the engine drops judged ones from it). */
function judging(entries: TimeEntryInput[], all: TimeEntryInput[]): EvaluationInput {
  return { timeEntries: entries, expenses: [], context: { timeEntries: all, expenses: [] } };
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
  const context = await loadExpenseContext(trx, expense.client_id, self, rows);
  const batch = buildBatch(context, [], rows, (row) => isUnbilled(row));
  const parts = [{ rules: (all: ClientRules) => all, input: batch.input }];
  return judgeAndSync(
    trx,
    actor,
    now,
    rules,
    { context, parts, refs: batch.refs, kinds: new Map() },
    self,
  );
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

/**
 * Matters of the loaded rows, and the entry's own approvals and rate card (one query):
 * neighbours are judged on cross-entry kinds only, which read neither.
 */
async function loadEntryContext(
  trx: Kysely<DB>,
  clientId: number,
  self: WorkRef,
  rows: readonly repo.WorkEntryRow[],
  selfRow: repo.WorkEntryRow | undefined,
): Promise<WorkContext> {
  const matterIds = unique([self.matterId, ...rows.map((r) => r.matter_id)]);
  const { client, matters, approvals, rates } = await repo.findEntryContext(
    trx,
    clientId,
    matterIds,
    self.matterId,
    selfRow === undefined || selfRow.rate_cents !== null
      ? null
      : { timekeeperId: selfRow.timekeeper_id, date: selfRow.work_date },
  );
  return new WorkContext(client!, matters, selfRow === undefined ? [] : approvals, rates);
}

async function loadExpenseContext(
  trx: Kysely<DB>,
  clientId: number,
  self: WorkRef,
  rows: readonly repo.WorkExpenseRow[],
): Promise<WorkContext> {
  const matterIds = unique([self.matterId, ...rows.map((r) => r.matter_id)]);
  const [client, matters] = await Promise.all([
    repo.findClientById(trx, clientId),
    repo.findMatters(trx, matterIds),
  ]);
  return new WorkContext(client!, matters, [], []);
}

async function judgeAndSync(
  trx: Kysely<DB>,
  actor: Actor,
  now: Date,
  rules: ClientRules,
  batch: Neighbourhood,
  self: WorkRef,
  live?: SyncScope['live'],
): Promise<ScanFinding[]> {
  const findings: ScanFinding[] = [];
  for (const part of batch.parts)
    findings.push(...attachRefs(evaluateWork(part.rules(rules), part.input), batch.refs));
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
  // Owners are looked up only for findings; with none, nobody needs to be named.
  const owners =
    findings.length === 0
      ? OwnerDirectory.empty()
      : await OwnerDirectory.load(trx, ownerTimekeepers(judged.values(), matters.values()));
  const synced = await syncExceptions(trx, actor, now, {
    judged: judged.values(),
    findings,
    rules,
    owners,
    matterOf,
    unevaluatedKinds: NOT_JUDGED_AT_SAVE,
    evaluatedKinds: batch.kinds,
    ...(live === undefined ? {} : { live }),
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
