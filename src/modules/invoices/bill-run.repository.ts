/**
 * The SQL a bill run reads: which matters have work to bill, the unbilled work itself, the
 * open drafts and what earlier invoices of the same matters already billed. Work is "unbilled"
 * here when it is released, active (and, for time, billable) and on no live invoice line.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RateCandidate } from '../../domain/rates.js';
import {
  selectEntries,
  selectExpenses,
  type WorkEntryRow,
  type WorkExpenseRow,
} from '../compliance/work.repository.js';

export interface BillRunScope {
  start: string;
  end: string;
  clientCode?: string;
  matterCode?: string;
}

const LIVE = sql.raw(`disposition in ('bill', 'no_charge')`);
/** Open invoices as the partial unique index invoice_open_per_matter_period defines them. */
export const OPEN_STATES = [
  'draft',
  'in_review',
  'exception',
  'waiting_on_timekeeper',
  'ready_for_approval',
  'on_hold',
] as const;

/**
 * Matters with released work in the period on no live line, or with an open invoice for the
 * period (its rates or outcome may have changed since the last run), in id order.
 */
export async function findBillRunMatterIds(db: Kysely<DB>, scope: BillRunScope): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select m.id from matter m join client c on c.id = m.client_id
    where (${scope.clientCode ?? null}::text is null or c.client_code = ${scope.clientCode ?? null})
      and (${scope.matterCode ?? null}::text is null or m.matter_code = ${scope.matterCode ?? null})
      and (
        exists (select 1 from time_entry te where te.matter_id = m.id and te.status = 'released'
          and te.active and te.billable and te.work_date between ${scope.start} and ${scope.end}
          and not exists (select 1 from invoice_line l where l.time_entry_id = te.id and l.${LIVE}))
        or exists (select 1 from expense e where e.matter_id = m.id and e.status = 'released'
          and e.active and e.expense_date between ${scope.start} and ${scope.end}
          and not exists (select 1 from invoice_line l where l.expense_id = e.id and l.${LIVE}))
        or exists (select 1 from invoice i where i.matter_id = m.id and i.period_start = ${scope.start}
          and i.state in ('draft', 'exception'))
      )
    order by m.id`.execute(db);
  return rows.map((r) => Number(r.id));
}

/** A matter with what billing it needs: its client, fee arrangement, people and budget. */
export interface BillMatterRow {
  id: number;
  matter_code: string;
  client_id: number;
  client_code: string;
  currency: string;
  closed_on: string | null;
  fee_arrangement: string;
  fee_amount_cents: number | null;
  budget_cents: number | null;
  responsible_attorney_id: number;
  billing_partner_id: number;
  billing_coordinator_id: number | null;
}

export function findBillMatters(db: Kysely<DB>, ids: readonly number[]): Promise<BillMatterRow[]> {
  return db
    .selectFrom('matter as m')
    .innerJoin('client as c', 'c.id', 'm.client_id')
    .select([
      'm.id',
      'm.matter_code',
      'm.client_id',
      'c.client_code',
      'c.currency',
      'm.closed_on',
      'm.fee_arrangement',
      'm.fee_amount_cents',
      'm.budget_cents',
      'm.responsible_attorney_id',
      'm.billing_partner_id',
      'm.billing_coordinator_id',
    ])
    .where(sql<boolean>`m.id = any(${[...ids]}::bigint[])`)
    .orderBy('m.id')
    .execute();
}

/** Released, billable time in the period on no live line. Non-billable time is never invoiced. */
export function findUnbilledEntries(
  db: Kysely<DB>,
  matterIds: readonly number[],
  scope: BillRunScope,
): Promise<WorkEntryRow[]> {
  return selectEntries(db)
    .where(sql<boolean>`te.matter_id = any(${[...matterIds]}::bigint[])`)
    .where('te.status', '=', 'released')
    .where('te.billable', '=', true)
    .where('te.work_date', '>=', scope.start)
    .where('te.work_date', '<=', scope.end)
    .where(
      sql<boolean>`not exists (select 1 from invoice_line l where l.time_entry_id = te.id and l.${LIVE})`,
    )
    .orderBy('te.work_date')
    .orderBy('te.id')
    .execute();
}

/** Released expenses in the period on no live line. */
export function findUnbilledExpenses(
  db: Kysely<DB>,
  matterIds: readonly number[],
  scope: BillRunScope,
): Promise<WorkExpenseRow[]> {
  return selectExpenses(db)
    .where(sql<boolean>`e.matter_id = any(${[...matterIds]}::bigint[])`)
    .where('e.status', '=', 'released')
    .where('e.expense_date', '>=', scope.start)
    .where('e.expense_date', '<=', scope.end)
    .where(
      sql<boolean>`not exists (select 1 from invoice_line l where l.expense_id = e.id and l.${LIVE})`,
    )
    .orderBy('e.expense_date')
    .orderBy('e.id')
    .execute();
}

/** Time entries already on lines of the open drafts (for revaluation checks and as context). */
export function findEntriesByIds(db: Kysely<DB>, ids: readonly number[]): Promise<WorkEntryRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return selectEntries(db)
    .where(sql<boolean>`te.id = any(${[...ids]}::bigint[])`)
    .execute();
}

/**
 * Active rates that could value work of these timekeepers in the period: their defaults and the
 * rates of the chunk's clients and matters; `resolveRate` picks among them per entry.
 */
export async function findRateCandidates(
  db: Kysely<DB>,
  timekeeperIds: readonly number[],
  matters: readonly BillMatterRow[],
  from: string,
  to: string,
): Promise<RateCandidate[]> {
  if (timekeeperIds.length === 0) return [];
  const clientIds = [...new Set(matters.map((m) => m.client_id))];
  const matterIds = matters.map((m) => m.id);
  const rows = await db
    .selectFrom('rate as r')
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
    .where(sql<boolean>`(r.client_id is null or r.client_id = any(${clientIds}::bigint[]))`)
    .where(sql<boolean>`(r.matter_id is null or r.matter_id = any(${matterIds}::bigint[]))`)
    .where('r.effective_from', '<=', to)
    .where((eb) => eb.or([eb('r.effective_to', 'is', null), eb('r.effective_to', '>=', from)]))
    .execute();
  return rows.map((row) => ({
    rateId: String(row.id),
    timekeeperId: String(row.timekeeper_id),
    clientId: row.client_id === null ? null : String(row.client_id),
    matterId: row.matter_id === null ? null : String(row.matter_id),
    rate: Number(row.rate_cents),
    currency: row.currency,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
  }));
}

/** What other (non-void) invoices of a matter billed: fees net of invoice-level fee adjustments. */
export interface BilledBefore {
  fees: number;
  total: number;
  /** True when a flat fee line (an F line with no time entry) was already billed. */
  flatFeeBilled: boolean;
}

/** Per matter, what its non-void invoices other than `exceptInvoiceIds` billed. */
export async function findBilledBefore(
  db: Kysely<DB>,
  matterIds: readonly number[],
  exceptInvoiceIds: readonly number[],
): Promise<Map<number, BilledBefore>> {
  const { rows } = await sql<{ matter_id: number; fees: string; total: string; flat: string }>`
    select i.matter_id,
      coalesce(sum(l.amount_cents) filter (where l.line_type in ('F', 'IF') and l.disposition = 'bill'), 0) as fees,
      coalesce(sum(l.amount_cents) filter (where l.disposition = 'bill'), 0) as total,
      count(*) filter (where l.line_type = 'F' and l.time_entry_id is null and l.disposition = 'bill') as flat
    from invoice i join invoice_line l on l.invoice_id = i.id
    where i.matter_id = any(${[...matterIds]}::bigint[]) and i.state <> 'void'
      and not (i.id = any(${[...exceptInvoiceIds]}::bigint[]))
    group by i.matter_id`.execute(db);
  return new Map(
    rows.map((r) => [
      Number(r.matter_id),
      { fees: Number(r.fees), total: Number(r.total), flatFeeBilled: Number(r.flat) > 0 },
    ]),
  );
}
