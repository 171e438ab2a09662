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
/** Lines a reviewer took work off: excluded, held to a later cycle or moved to another matter. */
const LEFT = sql.raw(`disposition in ('exclude', 'hold', 'moved')`);
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
 * period (its rates or outcome may have changed since the last run), ordered by client then id.
 */
export async function findBillRunMatterIds(db: Kysely<DB>, scope: BillRunScope): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select m.id from matter m join client c on c.id = m.client_id
    where (${scope.clientCode ?? null}::text is null or c.client_code = ${scope.clientCode ?? null})
      and (${scope.matterCode ?? null}::text is null or m.matter_code = ${scope.matterCode ?? null})
      and (
        exists (select 1 from time_entry te where te.matter_id = m.id and te.status = 'released'
          and te.active and te.billable and te.work_date between ${scope.start} and ${scope.end}
          and not exists (select 1 from invoice_line l where l.time_entry_id = te.id and l.${LIVE})
          and not exists (select 1 from invoice_line l where l.time_entry_id = te.id and l.${LEFT}))
        or exists (select 1 from expense e where e.matter_id = m.id and e.status = 'released'
          and e.active and e.expense_date between ${scope.start} and ${scope.end}
          and not exists (select 1 from invoice_line l where l.expense_id = e.id and l.${LIVE})
          and not exists (select 1 from invoice_line l where l.expense_id = e.id and l.${LEFT}))
        or exists (select 1 from invoice i where i.matter_id = m.id and i.period_start = ${scope.start}
          and i.state in ('draft', 'exception'))
      )
    order by m.id`.execute(db);
  const ids = new Set(rows.map((r) => Number(r.id)));
  for (const table of ['time_entry', 'expense'] as const)
    for (const row of await findLeftWork(db, table, scope, null)) ids.add(row.matter_id);
  // Client by client, so a chunk's matters share few clients and their rules are read once.
  const ordered = await sql<{ id: number }>`
    select id from matter where id = any(${[...ids]}::bigint[]) order by client_id, id`.execute(db);
  return ordered.rows.map((r) => Number(r.id));
}

/**
 * Work a reviewer took off an invoice that a later bill run bills: work held to the next cycle
 * (billed by a run for a period after the held invoice's, whatever its date) and work moved to
 * another matter (billed on that matter, latest move first). Excluded work is never billed
 * again. Returns each piece of work with the matter it is now billed on, within `scope` and,
 * when given, those matters.
 */
export async function findLeftWork(
  db: Kysely<DB>,
  table: 'time_entry' | 'expense',
  scope: BillRunScope,
  matterIds: readonly number[] | null,
): Promise<{ id: number; matter_id: number }[]> {
  const t = table === 'time_entry' ? sql.raw('time_entry') : sql.raw('expense');
  const ref = table === 'time_entry' ? sql.raw('time_entry_id') : sql.raw('expense_id');
  const date = table === 'time_entry' ? sql.raw('w.work_date') : sql.raw('w.expense_date');
  const billable = table === 'time_entry' ? sql.raw('and w.billable') : sql.raw('');
  const { rows } = await sql<{ id: number; matter_id: number }>`
    select w.id, m.id as matter_id
    from ${t} w
    join matter m on m.id = coalesce(
      (select l.moved_to_matter_id from invoice_line l where l.${ref} = w.id and l.disposition = 'moved'
        order by l.id desc limit 1), w.matter_id)
    join client c on c.id = m.client_id
    left join lateral (select max(i.period_start) as held_from from invoice_line l
        join invoice i on i.id = l.invoice_id where l.${ref} = w.id and l.disposition = 'hold') hd on true
    where w.id in (select l.${ref} from invoice_line l where l.${ref} is not null and l.disposition in ('hold', 'moved'))
      and w.status = 'released' and w.active ${billable}
      and not exists (select 1 from invoice_line x where x.${ref} = w.id and x.${LIVE})
      and not exists (select 1 from invoice_line x where x.${ref} = w.id and x.disposition = 'exclude')
      and ${date} <= ${scope.end}
      and case when hd.held_from is null then ${date} >= ${scope.start} else hd.held_from < ${scope.start} end
      and (${scope.clientCode ?? null}::text is null or c.client_code = ${scope.clientCode ?? null})
      and (${scope.matterCode ?? null}::text is null or m.matter_code = ${scope.matterCode ?? null})
      and (${matterIds === null}::boolean or m.id = any(${[...(matterIds ?? [])]}::bigint[]))
    order by w.id`.execute(db);
  return rows.map((r) => ({ id: Number(r.id), matter_id: Number(r.matter_id) }));
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

/**
 * Released, billable time in the period on no line, plus time held or moved onto these matters
 * (with `matter_id` the matter it is billed on now). Non-billable time is never invoiced.
 */
export async function findUnbilledEntries(
  db: Kysely<DB>,
  matterIds: readonly number[],
  scope: BillRunScope,
): Promise<WorkEntryRow[]> {
  const left = await findLeftWork(db, 'time_entry', scope, matterIds);
  const fresh = await selectEntries(db)
    .where(sql<boolean>`te.matter_id = any(${[...matterIds]}::bigint[])`)
    .where('te.status', '=', 'released')
    .where('te.billable', '=', true)
    .where('te.work_date', '>=', scope.start)
    .where('te.work_date', '<=', scope.end)
    .where(
      sql<boolean>`not exists (select 1 from invoice_line l where l.time_entry_id = te.id and l.${LIVE})`,
    )
    .where(
      sql<boolean>`not exists (select 1 from invoice_line l where l.time_entry_id = te.id and l.${LEFT})`,
    )
    .orderBy('te.work_date')
    .orderBy('te.id')
    .execute();
  if (left.length === 0) return fresh;
  const target = new Map(left.map((w) => [w.id, w.matter_id]));
  const carried = await findEntriesByIds(db, [...target.keys()]);
  return [...fresh, ...carried.map((e) => ({ ...e, matter_id: target.get(e.id)! }))].sort(
    (a, b) => a.work_date.localeCompare(b.work_date) || a.id - b.id,
  );
}

/** Released expenses in the period on no line, plus expenses held or moved onto these matters. */
export async function findUnbilledExpenses(
  db: Kysely<DB>,
  matterIds: readonly number[],
  scope: BillRunScope,
): Promise<WorkExpenseRow[]> {
  const left = await findLeftWork(db, 'expense', scope, matterIds);
  const fresh = await selectExpenses(db)
    .where(sql<boolean>`e.matter_id = any(${[...matterIds]}::bigint[])`)
    .where('e.status', '=', 'released')
    .where('e.expense_date', '>=', scope.start)
    .where('e.expense_date', '<=', scope.end)
    .where(
      sql<boolean>`not exists (select 1 from invoice_line l where l.expense_id = e.id and l.${LIVE})`,
    )
    .where(
      sql<boolean>`not exists (select 1 from invoice_line l where l.expense_id = e.id and l.${LEFT})`,
    )
    .orderBy('e.expense_date')
    .orderBy('e.id')
    .execute();
  if (left.length === 0) return fresh;
  const target = new Map(left.map((w) => [w.id, w.matter_id]));
  const carried = await selectExpenses(db)
    .where(sql<boolean>`e.id = any(${[...target.keys()]}::bigint[])`)
    .execute();
  return [...fresh, ...carried.map((e) => ({ ...e, matter_id: target.get(e.id)! }))].sort(
    (a, b) => a.expense_date.localeCompare(b.expense_date) || a.id - b.id,
  );
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
