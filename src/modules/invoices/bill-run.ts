/**
 * The bill run: one draft invoice per matter with unbilled released work in a month, created
 * or refreshed. Matters are billed in chunks, each in one transaction, so a run over a whole
 * firm keeps memory flat and a failure loses at most one chunk's work (a rerun picks it up).
 *
 * Work is tied to its draft by a live invoice line and stays `released`: it becomes `billed`
 * only when the invoice is approved, so voiding a draft frees the work for the next run.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { daysInMonth } from '../../domain/dates.js';
import { AppError, notFound, validationError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { resolveRate, type RateCandidate } from '../../domain/rates.js';
import { findApprovals, type WorkEntryRow } from '../compliance/work.repository.js';
import * as runRepo from './bill-run.repository.js';
import { judgeWork, type Judgement } from './bill-run-guidelines.js';
import { visibleMatterIds } from '../matters/matter-access.js';
import { billMatters, type MatterWork } from './bill-matter.js';
import { invoiceNumberPattern } from './invoice-number.js';
import * as repo from './invoices.repository.js';

/** Matters per transaction: small enough to keep a chunk's rows in memory, large enough to batch. */
export const BILL_RUN_CHUNK = 200;

export interface BillRunInput {
  /** `YYYY-MM` */
  period: string;
  clientCode?: string;
  matterCode?: string;
}

export interface SkippedWork {
  entity: 'time_entry' | 'expense';
  id: string;
  matter_code: string;
  code: string;
  message: string;
}

export interface BillRunInvoice {
  id: number;
  invoice_number: string;
  matter_code: string;
  client_code: string;
  state: string;
  total_cents: number;
  outcome: 'created' | 'refreshed' | 'unchanged';
  lines_added: number;
  needs_revaluation: boolean;
  /** The fee cap as this invoice leaves it (capped matters only), in cents. */
  cap: {
    cap_cents: number;
    billed_before_cents: number;
    invoice_fees_cents: number;
    adjustment_cents: number;
    remaining_cents: number;
  } | null;
}

export interface BillRunReport {
  period: string;
  created: number;
  refreshed: number;
  unchanged: number;
  entries_billed: number;
  expenses_billed: number;
  skipped: SkippedWork[];
  invoices: BillRunInvoice[];
}

export interface BillRunOptions {
  chunkSize?: number;
  /** The invoice number pattern; the configured one by default. */
  pattern?: string;
}

/** Creates or refreshes the drafts for `input.period` and reports what it did. */
export async function runBillRun(
  ctx: AppContext,
  actor: Actor,
  input: BillRunInput,
  options: BillRunOptions = {},
): Promise<BillRunReport> {
  const period = parsePeriod(input.period);
  const pattern = options.pattern ?? invoiceNumberPattern();
  // Walled matters are billed only by their members (and operator commands): a run by anyone
  // else leaves them out, and naming one answers as if it did not exist.
  const visible = new Set(
    (await visibleMatterIds(ctx.db, actor, 'work').execute()).map((row) => Number(row.id)),
  );
  await checkScope(ctx.db, input, visible);
  const scope: runRepo.BillRunScope = {
    ...period,
    ...(input.clientCode === undefined ? {} : { clientCode: input.clientCode }),
    ...(input.matterCode === undefined ? {} : { matterCode: input.matterCode }),
  };
  const report: BillRunReport = {
    period: input.period,
    created: 0,
    refreshed: 0,
    unchanged: 0,
    entries_billed: 0,
    expenses_billed: 0,
    skipped: [],
    invoices: [],
  };
  const ids = (await runRepo.findBillRunMatterIds(ctx.db, scope)).filter((id) => visible.has(id));
  const size = options.chunkSize ?? BILL_RUN_CHUNK;
  for (let i = 0; i < ids.length; i += size) {
    const chunk = ids.slice(i, i + size);
    await ctx.db
      .transaction()
      .execute((trx) => billChunk(trx, actor, ctx.now(), scope, chunk, pattern, report));
  }
  return report;
}

/** `YYYY-MM` to its first and last day; anything else is a validation error naming the field. */
export function parsePeriod(text: string): { start: string; end: string } {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12)
    throw validationError('PERIOD_INVALID', `The period "${text}" is not a month.`, [
      { field: 'period', message: 'must be a month as YYYY-MM' },
    ]);
  const days = daysInMonth(Number(match[1]), month);
  return { start: `${text}-01`, end: `${text}-${String(days).padStart(2, '0')}` };
}

async function checkScope(
  db: Kysely<DB>,
  input: BillRunInput,
  visible: ReadonlySet<number>,
): Promise<void> {
  if (input.clientCode !== undefined) {
    const client = await db
      .selectFrom('client')
      .select('id')
      .where('client_code', '=', input.clientCode)
      .executeTakeFirst();
    if (!client) throw notFound('CLIENT_NOT_FOUND', `No client ${input.clientCode}.`);
  }
  if (input.matterCode !== undefined) {
    const matter = await db
      .selectFrom('matter')
      .select('id')
      .where('matter_code', '=', input.matterCode)
      .executeTakeFirst();
    if (!matter || !visible.has(Number(matter.id)))
      throw notFound('MATTER_NOT_FOUND', `No matter ${input.matterCode}.`);
  }
}

async function billChunk(
  trx: Kysely<DB>,
  actor: Actor,
  now: Date,
  scope: runRepo.BillRunScope,
  matterIds: number[],
  pattern: string,
  report: BillRunReport,
): Promise<void> {
  // Two bill runs at once take turns chunk by chunk, so neither values work the other billed.
  await sql`select pg_advisory_xact_lock(7261002)`.execute(trx);
  const matters = await runRepo.findBillMatters(trx, matterIds);
  const open = await repo.findOpenInvoices(trx, matterIds, scope.start, runRepo.OPEN_STATES);
  const existing = await repo.findLines(
    trx,
    open.map((i) => i.id),
  );
  const [entries, expenses, approvals, billedBefore] = await Promise.all([
    runRepo.findUnbilledEntries(trx, matterIds, scope),
    runRepo.findUnbilledExpenses(trx, matterIds, scope),
    findApprovals(trx, matterIds),
    runRepo.findBilledBefore(
      trx,
      matterIds,
      open.map((i) => i.id),
    ),
  ]);
  const lined = await runRepo.findEntriesByIds(
    trx,
    existing.flatMap((l) => (l.time_entry_id === null ? [] : [l.time_entry_id])),
  );
  const timekeepers = [...new Set([...entries, ...lined].map((e) => e.timekeeper_id))];
  const rates = await runRepo.findRateCandidates(trx, timekeepers, matters, scope.start, scope.end);
  const rateFor = rateLookup(matters, rates);

  const works = new Map<number, MatterWork>();
  for (const matter of matters) {
    const invoice = open.find((i) => i.matter_id === matter.id);
    works.set(matter.id, {
      matter,
      invoice,
      lines: existing.filter((l) => l.invoice_id === invoice?.id),
      lined: lined.filter((e) => e.matter_id === matter.id),
      entries: [],
      expenses: expenses.filter((e) => e.matter_id === matter.id),
      billedBefore: billedBefore.get(matter.id) ?? { fees: 0, total: 0, flatFeeBilled: false },
    });
  }
  for (const row of entries) {
    const work = works.get(row.matter_id)!;
    try {
      work.entries.push({ row, rate: rateFor(row) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      report.skipped.push(skip('time_entry', row.entry_id, work.matter.matter_code, error));
    }
  }
  // Work cannot join an invoice someone is already reviewing or approving: it waits.
  for (const work of works.values()) {
    if (work.invoice === undefined || refreshable(work.invoice)) continue;
    const why = new AppError(
      'conflict',
      'INVOICE_IN_PROGRESS',
      `Invoice ${work.invoice.invoice_number} for this period is ${work.invoice.state}; new work waits until it is returned to draft or billed.`,
    );
    for (const { row } of work.entries)
      report.skipped.push(skip('time_entry', row.entry_id, work.matter.matter_code, why));
    for (const row of work.expenses)
      report.skipped.push(skip('expense', row.expense_id, work.matter.matter_code, why));
    works.delete(work.matter.id);
  }

  const judgements = new Map<number, Judgement>();
  for (const clientId of new Set(matters.map((m) => m.client_id))) {
    const mine = [...works.values()].filter((w) => w.matter.client_id === clientId);
    if (mine.length === 0) continue;
    const first = mine[0]!.matter;
    const workedRate = new Map(
      mine.flatMap((w) => w.lines.map((l) => [l.time_entry_id, l.worked_unit_cost_cents])),
    );
    judgements.set(
      clientId,
      await judgeWork(trx, actor, now, {
        client: { id: clientId, client_code: first.client_code, currency: first.currency },
        matters: mine.map((w) => w.matter),
        approvals: approvals.filter((a) => mine.some((w) => w.matter.id === a.matter_id)),
        rates,
        entries: mine.flatMap((w) => w.entries.map((e) => ({ ...e.row, rate_cents: e.rate }))),
        expenses: mine.flatMap((w) => w.expenses),
        context: mine.flatMap((w) =>
          w.lined.map((e) => ({ ...e, rate_cents: workedRate.get(e.id) ?? null })),
        ),
        period: { start: scope.start, end: scope.end },
      }),
    );
  }
  await billMatters(trx, actor, now, { scope, pattern, judgements, rateFor, report }, [
    ...works.values(),
  ]);
}

function refreshable(invoice: repo.OpenInvoiceRow): boolean {
  return (
    invoice.state === 'draft' ||
    (invoice.state === 'exception' && invoice.previous_state === 'draft')
  );
}

function skip(
  entity: SkippedWork['entity'],
  id: string,
  matterCode: string,
  error: AppError,
): SkippedWork {
  return { entity, id, matter_code: matterCode, code: error.code, message: error.message };
}

/** The rate lookup at run time for entries of the chunk's matters; throws RATE_NOT_FOUND. */
function rateLookup(matters: readonly runRepo.BillMatterRow[], rates: readonly RateCandidate[]) {
  const byMatter = new Map(matters.map((m) => [m.id, m]));
  const byTimekeeper = new Map<string, RateCandidate[]>();
  for (const rate of rates) {
    const list = byTimekeeper.get(rate.timekeeperId) ?? [];
    list.push(rate);
    byTimekeeper.set(rate.timekeeperId, list);
  }
  return (row: WorkEntryRow): number => {
    const matter = byMatter.get(row.matter_id)!;
    return resolveRate(
      {
        timekeeperId: String(row.timekeeper_id),
        timekeeperCode: row.timekeeper_code,
        matterId: String(matter.id),
        matterCode: matter.matter_code,
        clientId: String(matter.client_id),
        currency: matter.currency,
        workDate: row.work_date,
        standardRate: row.standard_rate_cents === null ? null : Number(row.standard_rate_cents),
        standardRateCurrency: row.timekeeper_currency,
      },
      byTimekeeper.get(String(row.timekeeper_id)) ?? [],
    ).rate;
  };
}
