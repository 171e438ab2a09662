/**
 * The SQL that reads recorded work for guideline checks: the same row shapes serve the pre-bill
 * scan (a client's window) and the save-time check (one entry's day), so both build identical
 * engine inputs. Queries follow the (matter_id, work_date) and (timekeeper_id, work_date) indexes.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
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

/** What a save-time check needs besides the day's entries. */
export interface EntryContextRows {
  client: WorkClientRow | undefined;
  matters: WorkMatterRow[];
  approvals: ApprovalRow[];
  rates: RateCandidate[];
}

/**
 * In one round trip: the matters (with their client's codes), the approvals of the judged
 * entry's matter and, when `rateOf` is given, the rate candidates for that timekeeper and date.
 * `matterIds` must hold `judgedMatterId`, whose row carries the approvals and rates.
 */
export async function findEntryContext(
  db: Kysely<DB>,
  clientId: number,
  matterIds: readonly number[],
  judgedMatterId: number,
  rateOf: { timekeeperId: number; date: string } | null,
): Promise<EntryContextRows> {
  const onJudged = sql<boolean>`m.id = ${judgedMatterId}`;
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
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('matter_timekeeper as mt')
          .select(['mt.matter_id', 'mt.timekeeper_id', 'mt.approved_rate_cents'])
          .whereRef('mt.matter_id', '=', 'm.id')
          .where(onJudged),
      ).as('approvals'),
      jsonArrayFrom(
        rateOf === null
          ? eb
              .selectFrom('rate as r')
              .select(RATE_COLUMNS)
              .where(sql<boolean>`false`)
          : rateCandidates(eb, clientId, [rateOf.timekeeperId], rateOf.date, rateOf.date).where(
              onJudged,
            ),
      ).as('rates'),
    ])
    .where(sql<boolean>`m.id = any(${[...matterIds]}::bigint[])`)
    .execute();
  const judged = rows.find((row) => row.id === judgedMatterId);
  const client =
    judged === undefined
      ? undefined
      : { id: judged.client_id, client_code: judged.client_code, currency: judged.currency };
  return {
    client,
    matters: rows.map((row) => ({
      id: row.id,
      matter_code: row.matter_code,
      client_id: row.client_id,
      closed_on: row.closed_on,
      responsible_attorney_id: row.responsible_attorney_id,
      billing_partner_id: row.billing_partner_id,
      billing_coordinator_id: row.billing_coordinator_id,
    })),
    // JSON gives numbers and ISO dates back as the columns would.
    approvals: judged?.approvals ?? [],
    rates: (judged?.rates ?? []).map(toRateCandidate),
  };
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
  const rows = await rateCandidates(db, clientId, timekeeperIds, from, to).execute();
  return rows.map(toRateCandidate);
}

const RATE_COLUMNS = [
  'r.id',
  'r.timekeeper_id',
  'r.client_id',
  'r.matter_id',
  'r.rate_cents',
  'r.currency',
  'r.effective_from',
  'r.effective_to',
] as const;

/** Rate candidates as a query, to run alone or nest in the save-time context query. */
function rateCandidates(
  // A nested query's expression builder starts a select just as the database does.
  db: Kysely<DB> | ExpressionBuilder<any, any>,
  clientId: number,
  timekeeperIds: readonly number[],
  from: string,
  to: string,
) {
  return (db as Kysely<DB>)
    .selectFrom('rate as r')
    .leftJoin('matter as rm', 'rm.id', 'r.matter_id')
    .select(RATE_COLUMNS)
    .where('r.active', '=', true)
    .where(sql<boolean>`r.timekeeper_id = any(${[...timekeeperIds]}::bigint[])`)
    .where((eb) => eb.or([eb('r.client_id', 'is', null), eb('r.client_id', '=', clientId)]))
    .where((eb) => eb.or([eb('r.matter_id', 'is', null), eb('rm.client_id', '=', clientId)]))
    .where('r.effective_from', '<=', to)
    .where((eb) => eb.or([eb('r.effective_to', 'is', null), eb('r.effective_to', '>=', from)]));
}

function toRateCandidate(row: {
  id: number;
  timekeeper_id: number;
  client_id: number | null;
  matter_id: number | null;
  rate_cents: number;
  currency: string;
  effective_from: string;
  effective_to: string | null;
}): RateCandidate {
  return {
    rateId: String(row.id),
    timekeeperId: String(row.timekeeper_id),
    clientId: row.client_id === null ? null : String(row.client_id),
    matterId: row.matter_id === null ? null : String(row.matter_id),
    rate: row.rate_cents,
    currency: row.currency,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
  };
}
