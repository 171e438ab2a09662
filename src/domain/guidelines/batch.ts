/**
 * The data one evaluation shares across rules: billable entries to judge, and the same-day
 * groups cross-entry kinds need, built at most once per evaluation and only when a rule asks.
 * Entries are judged and grouped the same way whether the batch holds one entry plus its
 * neighbours or a whole bill run, which is what makes save-time and bulk findings identical.
 */
import type {
  BillingPeriod,
  EvaluationInput,
  ExpenseInput,
  TimeEntryInput,
} from './guideline.types.js';

/** date → entries; one per timekeeper or matter. */
export type DayGroups<T> = Map<string, Map<string, T[]>>;

export class Batch {
  /** Billable time entries to report on. Non-billable time never reaches the client's invoice. */
  readonly entries: readonly TimeEntryInput[];
  readonly expenses: readonly ExpenseInput[];
  readonly period: BillingPeriod | undefined;
  #contextEntries: readonly TimeEntryInput[];
  #contextExpenses: readonly ExpenseInput[];
  #byTimekeeperDay: DayGroups<TimeEntryInput> | undefined;
  #byMatterDay: DayGroups<TimeEntryInput> | undefined;
  #expensesByMatterDay: DayGroups<ExpenseInput> | undefined;
  #extra = new Map<string, unknown>();

  constructor(input: EvaluationInput) {
    this.entries = billableOnly(input.timeEntries ?? []);
    this.expenses = billableOnly(input.expenses ?? []);
    this.period = input.period;
    this.#contextEntries = withoutIds(billableOnly(input.context?.timeEntries ?? []), this.entries);
    this.#contextExpenses = withoutIds(billableOnly(input.context?.expenses ?? []), this.expenses);
  }

  /** Entries (judged and context) by timekeeper id, then work date. */
  timekeeperDays(): DayGroups<TimeEntryInput> {
    this.#byTimekeeperDay ??= group(this.entries, this.#contextEntries, (e) => e.timekeeperId);
    return this.#byTimekeeperDay;
  }

  /** Entries (judged and context) by matter id, then work date. */
  matterDays(): DayGroups<TimeEntryInput> {
    this.#byMatterDay ??= group(this.entries, this.#contextEntries, (e) => e.matterId);
    return this.#byMatterDay;
  }

  /** Expenses (judged and context) by matter id, then date. */
  expenseMatterDays(): DayGroups<ExpenseInput> {
    this.#expensesByMatterDay ??= group(this.expenses, this.#contextExpenses, (e) => e.matterId);
    return this.#expensesByMatterDay;
  }

  /** A per-batch cache for kinds that derive their own data once (e.g. CEL contexts). */
  cached<T>(key: string, build: () => T): T {
    if (!this.#extra.has(key)) this.#extra.set(key, build());
    return this.#extra.get(key) as T;
  }
}

/** The group an item belongs to; always present for items of the batch. */
export function dayGroupOf<T>(groups: DayGroups<T>, key: string, date: string): readonly T[] {
  return groups.get(key)?.get(date) ?? [];
}

function billableOnly<T extends { billable: boolean }>(items: readonly T[]): readonly T[] {
  return items.every((item) => item.billable) ? items : items.filter((item) => item.billable);
}

/** Context items that are also judged are dropped, so a caller may pass a day's entries including the one being saved. */
function withoutIds<T extends { id: string }>(
  context: readonly T[],
  judged: readonly T[],
): readonly T[] {
  if (context.length === 0) return context;
  const ids = new Set(judged.map((item) => item.id));
  return context.filter((item) => !ids.has(item.id));
}

function group<T extends { workDate: string }>(
  judged: readonly T[],
  context: readonly T[],
  keyOf: (item: T) => string,
): DayGroups<T> {
  const groups: DayGroups<T> = new Map();
  for (const items of [judged, context]) {
    for (const item of items) {
      const key = keyOf(item);
      let days = groups.get(key);
      if (days === undefined) {
        days = new Map();
        groups.set(key, days);
      }
      const day = days.get(item.workDate);
      if (day === undefined) days.set(item.workDate, [item]);
      else day.push(item);
    }
  }
  return groups;
}
