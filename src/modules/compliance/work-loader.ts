/**
 * Loading unbilled work for a pre-bill scan, one client at a time so memory stays bounded by
 * the largest client's window rather than the firm's.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import type {
  EvaluationInput,
  ExpenseInput,
  TimeEntryInput,
} from '../../domain/guidelines/index.js';
import {
  entryRef,
  expenseRef,
  isUnbilled,
  refKey,
  WorkContext,
  type WorkRef,
} from './work-input.js';
import * as repo from './work.repository.js';

/** Which work a scan looks at: work dated from..to (inclusive), optionally one client or matter. */
export interface WorkWindow {
  from: string;
  to: string;
  clientCode?: string;
  matterCode?: string;
}

/**
 * One client's unbilled work in the window (`input.timeEntries`/`expenses`, the judged items)
 * with the rest of its counted work in the window as context. Every same-day neighbour of a
 * judged item lies in the window too, since the window holds whole days.
 */
export interface WorkBatch {
  clientId: number;
  clientCode: string;
  input: EvaluationInput;
  /** Judged items by `refKey(entity, external id)`. */
  refs: Map<string, WorkRef>;
  /** The client's matters and rate card, for owners and further lookups. */
  context: WorkContext;
}

export interface LoadWorkOptions {
  /** Skips a client before its work is read (e.g. no guideline applies to it). */
  include?: (clientId: number, clientCode: string) => Promise<boolean>;
}

/** Yields one batch per client with unbilled work in the window, in client-code order. */
export async function* loadWork(
  db: Kysely<DB>,
  window: WorkWindow,
  options: LoadWorkOptions = {},
): AsyncIterable<WorkBatch> {
  const clients = await resolveClients(db, window);
  const matterFilter =
    window.matterCode === undefined ? null : await repo.findMatterByCode(db, window.matterCode);
  for (const client of clients) {
    if (options.include !== undefined && !(await options.include(client.id, client.client_code)))
      continue;
    const batch = await loadClientWork(db, client, window, matterFilter?.id ?? null);
    if (batch !== null) yield batch;
  }
}

async function resolveClients(db: Kysely<DB>, window: WorkWindow) {
  const clients = await repo.findWorkClients(db, window);
  if (clients.length > 0) return clients;
  if (window.matterCode !== undefined && !(await repo.findMatterByCode(db, window.matterCode)))
    throw notFound('MATTER_NOT_FOUND', `No matter ${window.matterCode}.`);
  if (window.clientCode !== undefined)
    throw notFound(
      'CLIENT_NOT_FOUND',
      window.matterCode === undefined
        ? `No client ${window.clientCode}.`
        : `Matter ${window.matterCode} does not belong to client ${window.clientCode}.`,
    );
  return clients;
}

async function loadClientWork(
  db: Kysely<DB>,
  client: repo.WorkClientRow,
  window: WorkWindow,
  onlyMatterId: number | null,
): Promise<WorkBatch | null> {
  const matters = await repo.findClientMatters(db, client.id);
  if (matters.length === 0) return null;
  const matterIds = matters.map((m) => m.id);
  // The whole client is read even for one matter: a timekeeper's daily total spans all of
  // the client's matters.
  const [entryRows, expenseRows] = await Promise.all([
    repo.findEntriesInWindow(db, matterIds, window.from, window.to),
    repo.findExpensesInWindow(db, matterIds, window.from, window.to),
  ]);
  const judged = (row: { status: string; active: boolean; matter_id: number }) =>
    isUnbilled(row) && (onlyMatterId === null || row.matter_id === onlyMatterId);
  if (!entryRows.some(judged) && !expenseRows.some(judged)) return null;

  const timekeeperIds = [
    ...new Set(entryRows.filter((r) => r.rate_cents === null).map((r) => r.timekeeper_id)),
  ];
  const [approvals, rates] = await Promise.all([
    repo.findApprovals(db, matterIds),
    repo.findRateCandidatesForClient(db, client.id, timekeeperIds, window.from, window.to),
  ]);
  const context = new WorkContext(client, matters, approvals, rates);
  return buildBatch(context, entryRows, expenseRows, judged);
}

/** Splits loaded rows into judged items (with their refs) and context. */
export function buildBatch(
  context: WorkContext,
  entryRows: readonly repo.WorkEntryRow[],
  expenseRows: readonly repo.WorkExpenseRow[],
  judged: (row: { status: string; active: boolean; matter_id: number; id: number }) => boolean,
): WorkBatch {
  const refs = new Map<string, WorkRef>();
  const entries: TimeEntryInput[] = [];
  const contextEntries: TimeEntryInput[] = [];
  for (const row of entryRows) {
    const input = context.timeEntry(row);
    if (judged(row)) {
      entries.push(input);
      refs.set(refKey('time_entry', row.entry_id), entryRef(row));
    } else contextEntries.push(input);
  }
  const expenses: ExpenseInput[] = [];
  const contextExpenses: ExpenseInput[] = [];
  for (const row of expenseRows) {
    const input = context.expense(row);
    if (judged(row)) {
      expenses.push(input);
      refs.set(refKey('expense', row.expense_id), expenseRef(row));
    } else contextExpenses.push(input);
  }
  return {
    clientId: context.client.id,
    clientCode: context.client.client_code,
    input: {
      timeEntries: entries,
      expenses,
      context: { timeEntries: contextEntries, expenses: contextExpenses },
    },
    refs,
    context,
  };
}
