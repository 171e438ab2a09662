/**
 * Turning stored work into the guideline engine's inputs. Ids inside the engine are the
 * database ids as strings (matter, timekeeper); findings name entries by their external id.
 */
import type { ExpenseInput, TimeEntryInput } from '../../domain/guidelines/index.js';
import { parseHours, parseScaled } from '../../domain/money.js';
import { resolveRate, type RateCandidate } from '../../domain/rates.js';
import type { Classification } from '../../domain/roles.js';
import type {
  ApprovalRow,
  WorkClientRow,
  WorkEntryRow,
  WorkExpenseRow,
  WorkMatterRow,
} from './work.repository.js';

/** Where an evaluated item lives in the database. */
export interface WorkRef {
  entity: 'time_entry' | 'expense';
  id: number;
  matterId: number;
  timekeeperId: number | null;
}

/** The key of `WorkRef` maps: entries and expenses have separate external id spaces. */
export function refKey(entity: 'time_entry' | 'expense', externalId: string): string {
  return `${entity}:${externalId}`;
}

/** Work that has not been billed yet is what checks judge; other counted work is context. */
export function isUnbilled(row: { status: string; active: boolean }): boolean {
  return row.active && (row.status === 'draft' || row.status === 'released');
}

/**
 * What a client's matters say about the work on them: codes, closing dates, approved
 * timekeepers and rates, and the rate card for entries not yet valued.
 */
export class WorkContext {
  readonly #matters = new Map<number, WorkMatterRow>();
  readonly #approvedIds = new Map<number, string[]>();
  readonly #approvedRates = new Map<string, number | null>();
  readonly #ratesByTimekeeper = new Map<string, RateCandidate[]>();
  readonly #rateMemo = new Map<string, number>();

  constructor(
    readonly client: WorkClientRow,
    matters: readonly WorkMatterRow[],
    approvals: readonly ApprovalRow[],
    rates: readonly RateCandidate[],
  ) {
    for (const matter of matters) this.#matters.set(matter.id, matter);
    for (const a of approvals) {
      const list = this.#approvedIds.get(a.matter_id);
      if (list === undefined) this.#approvedIds.set(a.matter_id, [String(a.timekeeper_id)]);
      else list.push(String(a.timekeeper_id));
      this.#approvedRates.set(`${a.matter_id}:${a.timekeeper_id}`, a.approved_rate_cents);
    }
    for (const rate of rates) {
      const list = this.#ratesByTimekeeper.get(rate.timekeeperId);
      if (list === undefined) this.#ratesByTimekeeper.set(rate.timekeeperId, [rate]);
      else list.push(rate);
    }
  }

  matter(id: number): WorkMatterRow {
    const matter = this.#matters.get(id);
    if (matter === undefined) throw new Error(`matter ${id} was not loaded with its work`);
    return matter;
  }

  timeEntry(row: WorkEntryRow): TimeEntryInput {
    const matter = this.matter(row.matter_id);
    return {
      id: row.entry_id,
      clientCode: this.client.client_code,
      matterId: String(row.matter_id),
      matterCode: matter.matter_code,
      timekeeperId: String(row.timekeeper_id),
      timekeeperCode: row.timekeeper_code,
      classification: row.classification as Classification,
      workDate: row.work_date,
      hours: parseHours(row.hours) ?? 0,
      narrative: row.narrative,
      taskCode: row.task_code,
      activityCode: row.activity_code,
      billable: row.billable,
      rate: row.rate_cents ?? this.#lookUpRate(row),
      approvedRate: this.#approvedRates.get(`${row.matter_id}:${row.timekeeper_id}`) ?? null,
      matterApprovedTimekeeperIds: this.#approvedIds.get(row.matter_id) ?? [],
      matterClosedOn: matter.closed_on,
    };
  }

  expense(row: WorkExpenseRow): ExpenseInput {
    const matter = this.matter(row.matter_id);
    return {
      id: row.expense_id,
      clientCode: this.client.client_code,
      matterId: String(row.matter_id),
      matterCode: matter.matter_code,
      workDate: row.expense_date,
      expenseCode: row.expense_code,
      description: row.description,
      quantity: parseScaled(row.quantity, 2) ?? 0,
      unitCost: row.unit_cost_cents,
      amount: row.amount_cents,
      // Expenses carry no billable flag: every recorded expense is meant for the client.
      billable: true,
      matterClosedOn: matter.closed_on,
    };
  }

  /**
   * The rate an entry not yet valued would bill at. Without any applicable rate it is 0, so
   * rate rules pass it over; the missing rate itself is reported when the work is valued.
   */
  #lookUpRate(row: WorkEntryRow): number {
    const key = `${row.timekeeper_id}:${row.matter_id}:${row.work_date}`;
    const memo = this.#rateMemo.get(key);
    if (memo !== undefined) return memo;
    let rate: number;
    try {
      rate = resolveRate(
        {
          timekeeperId: String(row.timekeeper_id),
          timekeeperCode: row.timekeeper_code,
          matterId: String(row.matter_id),
          matterCode: this.matter(row.matter_id).matter_code,
          clientId: String(this.client.id),
          currency: this.client.currency,
          workDate: row.work_date,
          standardRate: row.standard_rate_cents,
          standardRateCurrency: row.timekeeper_currency,
        },
        this.#ratesByTimekeeper.get(String(row.timekeeper_id)) ?? [],
      ).rate;
    } catch {
      rate = 0;
    }
    this.#rateMemo.set(key, rate);
    return rate;
  }
}

export function entryRef(row: WorkEntryRow): WorkRef {
  return {
    entity: 'time_entry',
    id: row.id,
    matterId: row.matter_id,
    timekeeperId: row.timekeeper_id,
  };
}

export function expenseRef(row: WorkExpenseRow): WorkRef {
  return {
    entity: 'expense',
    id: row.id,
    matterId: row.matter_id,
    timekeeperId: row.timekeeper_id,
  };
}
