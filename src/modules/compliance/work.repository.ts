/**
 * The SQL that reads recorded work for guideline checks: the same row shapes serve the pre-bill
 * scan (a client's window) and the save-time check (one entry's day), so both build identical
 * engine inputs. Queries follow the (matter_id, work_date) and (timekeeper_id, work_date) indexes.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RateCandidate } from '../../domain/rates.js';

/** Work that is or will be billed to the client; written-off work no longer counts. */
const COUNTED = sql<boolean>`status <> 'written_off'`;

/** A matter as the checks need it: codes for findings, closing date, and the people who own findings. */
export interface WorkMatterRow {
  id: number;
  matter_code: string;
  client_id: number;
  closed_on: string | null;
  responsible_attorney_id: number;
  billing_partner_id: number;
  billing_coordinator_id: number | null;
}

export interface WorkEntryRow {
  id: number;
  entry_id: string;
  matter_id: number;
  timekeeper_id: number;
  timekeeper_code: string;
  classification: string;
  standard_rate_cents: number | null;
  timekeeper_currency: string;
  work_date: string;
  hours: string;
  narrative: string;
  task_code: string | null;
  activity_code: string | null;
  billable: boolean;
  status: string;
  active: boolean;
  rate_cents: number | null;
}

export interface WorkExpenseRow {
  id: number;
  expense_id: string;
  matter_id: number;
  timekeeper_id: number | null;
  expense_date: string;
  expense_code: string | null;
  description: string;
  quantity: string;
  unit_cost_cents: number;
  amount_cents: number;
  status: string;
  active: boolean;
}

export interface ApprovalRow {
  matter_id: number;
  timekeeper_id: number;
  approved_rate_cents: number | null;
}

export interface WorkClientRow {
  id: number;
  client_code: string;
  currency: string;
}

const MATTER_COLUMNS = [
  'id',
  'matter_code',
  'client_id',
  'closed_on',
  'responsible_attorney_id',
  'billing_partner_id',
  'billing_coordinator_id',
] as const;

/** Counted (active, not written-off) time entries with their timekeeper's code, class and rate. */
export function selectEntries(db: Kysely<DB>) {
  return db
    .selectFrom('time_entry as te')
    .innerJoin('timekeeper as tk', 'tk.id', 'te.timekeeper_id')
    .select([
      'te.id',
      'te.entry_id',
      'te.matter_id',
      'te.timekeeper_id',
      'tk.timekeeper_code',
      'tk.classification',
      'tk.standard_rate_cents',
      'tk.currency as timekeeper_currency',
      'te.work_date',
      'te.hours',
      'te.narrative',
      'te.task_code',
      'te.activity_code',
      'te.billable',
      'te.status',
      'te.active',
      'te.rate_cents',
    ])
    .where('te.active', '=', true)
    .where(sql<boolean>`te.${COUNTED}`);
}

/** Counted (active, not written-off) expenses. */
export function selectExpenses(db: Kysely<DB>) {
  return db
    .selectFrom('expense as e')
    .select([
      'e.id',
      'e.expense_id',
      'e.matter_id',
      'e.timekeeper_id',
      'e.expense_date',
      'e.expense_code',
      'e.description',
      'e.quantity',
      'e.unit_cost_cents',
      'e.amount_cents',
      'e.status',
      'e.active',
    ])
    .where('e.active', '=', true)
    .where(sql<boolean>`e.${COUNTED}`);
}

/** Clients to scan, in code order: one client, the client of one matter, or every client. */
export function findWorkClients(
  db: Kysely<DB>,
  filter: { clientCode?: string; matterCode?: string },
): Promise<WorkClientRow[]> {
  let q = db.selectFrom('client as c').select(['c.id', 'c.client_code', 'c.currency']);
  if (filter.clientCode !== undefined) q = q.where('c.client_code', '=', filter.clientCode);
  if (filter.matterCode !== undefined) {
    const code = filter.matterCode;
    q = q.where('c.id', 'in', (eb) =>
      eb.selectFrom('matter').select('client_id').where('matter_code', '=', code),
    );
  }
  return q.orderBy('c.client_code').execute();
}

export function findClientById(db: Kysely<DB>, id: number): Promise<WorkClientRow | undefined> {
  return db
    .selectFrom('client')
    .select(['id', 'client_code', 'currency'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findMatterByCode(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('matter')
    .select(MATTER_COLUMNS)
    .where('matter_code', '=', code)
    .executeTakeFirst();
}

export function findClientMatters(db: Kysely<DB>, clientId: number): Promise<WorkMatterRow[]> {
  return db.selectFrom('matter').select(MATTER_COLUMNS).where('client_id', '=', clientId).execute();
}

export function findMatters(db: Kysely<DB>, ids: readonly number[]): Promise<WorkMatterRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('matter')
    .select(MATTER_COLUMNS)
    .where(sql<boolean>`id = any(${[...ids]}::bigint[])`)
    .execute();
}

/** Matters of one client with the client's codes, read together for a save-time check. */
export async function findMattersWithClient(
  db: Kysely<DB>,
  ids: readonly number[],
): Promise<{ client: WorkClientRow | undefined; matters: WorkMatterRow[] }> {
  const rows = await db
    .selectFrom('matter as m')
    .innerJoin('client as c', 'c.id', 'm.client_id')
    .select([
      'm.id',
      'm.matter_code',
      'm.client_id',
      'm.closed_on',
      'm.responsible_attorney_id',
      'm.billing_partner_id',
      'm.billing_coordinator_id',
      'c.client_code',
      'c.currency',
    ])
    .where(sql<boolean>`m.id = any(${[...ids]}::bigint[])`)
    .execute();
  const first = rows[0];
  const client =
    first === undefined
      ? undefined
      : { id: first.client_id, client_code: first.client_code, currency: first.currency };
  return { client, matters: rows.map(({ client_code: _, currency: __, ...matter }) => matter) };
}

/** Counted time entries on the given matters between two dates (inclusive). */
export function findEntriesInWindow(
  db: Kysely<DB>,
  matterIds: readonly number[],
  from: string,
  to: string,
): Promise<WorkEntryRow[]> {
  return selectEntries(db)
    .where(sql<boolean>`te.matter_id = any(${[...matterIds]}::bigint[])`)
    .where('te.work_date', '>=', from)
    .where('te.work_date', '<=', to)
    .orderBy('te.id')
    .execute();
}

/** Counted expenses on the given matters between two dates (inclusive). */
export function findExpensesInWindow(
  db: Kysely<DB>,
  matterIds: readonly number[],
  from: string,
  to: string,
): Promise<WorkExpenseRow[]> {
  return selectExpenses(db)
    .where(sql<boolean>`e.matter_id = any(${[...matterIds]}::bigint[])`)
    .where('e.expense_date', '>=', from)
    .where('e.expense_date', '<=', to)
    .orderBy('e.id')
    .execute();
}

export function findApprovals(
  db: Kysely<DB>,
  matterIds: readonly number[],
): Promise<ApprovalRow[]> {
  if (matterIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('matter_timekeeper')
    .select(['matter_id', 'timekeeper_id', 'approved_rate_cents'])
    .where(sql<boolean>`matter_id = any(${[...matterIds]}::bigint[])`)
    .execute();
}

/**
 * Active rates of the given timekeepers that could apply to a client's work between two dates:
 * their defaults, the client's rates and the rates of the client's matters.
 */
export async function findRateCandidatesForClient(
  db: Kysely<DB>,
  clientId: number,
  timekeeperIds: readonly number[],
  from: string,
  to: string,
): Promise<RateCandidate[]> {
  if (timekeeperIds.length === 0) return [];
  const rows = await db
    .selectFrom('rate as r')
    .leftJoin('matter as m', 'm.id', 'r.matter_id')
    .select([
      'r.id',
      'r.timekeeper_id',
      'r.client_id',
      'r.matter_id',
      'r.rate_cents',
      'r.currency',
      'r.effective_from',
      'r.effective_to',
    ])
    .where('r.active', '=', true)
    .where(sql<boolean>`r.timekeeper_id = any(${[...timekeeperIds]}::bigint[])`)
    .where((eb) => eb.or([eb('r.client_id', 'is', null), eb('r.client_id', '=', clientId)]))
    .where((eb) => eb.or([eb('r.matter_id', 'is', null), eb('m.client_id', '=', clientId)]))
    .where('r.effective_from', '<=', to)
    .where((eb) => eb.or([eb('r.effective_to', 'is', null), eb('r.effective_to', '>=', from)]))
    .execute();
  return rows.map((row) => ({
    rateId: String(row.id),
    timekeeperId: String(row.timekeeper_id),
    clientId: row.client_id === null ? null : String(row.client_id),
    matterId: row.matter_id === null ? null : String(row.matter_id),
    rate: row.rate_cents,
    currency: row.currency,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
  }));
}
