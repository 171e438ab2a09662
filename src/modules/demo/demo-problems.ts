import { addDays } from '../../domain/dates.js';
import { DAILY_HOURS_LIMIT, dayKey, dayTotals } from './demo-audit.js';
import { OVER_CAP_EXPENSES } from './demo-expense-kinds.js';
import type { DemoMatter } from './demo-matters.js';
import { MATTERS } from './demo-matters.js';
import type { DemoRandom } from './demo-random.js';
import type { DemoPeriod } from './demo-roster.js';
import { timekeeperOf } from './demo-roster.js';
import {
  ADMIN_TASK,
  CLERICAL_NARRATIVES,
  INVALID_ACTIVITY_CODES,
  INVALID_TASK_CODES,
  VAGUE_NARRATIVES,
} from './demo-vocabulary.js';
import type { MatterWindow, WorkEntry, WorkExpense } from './demo-work.js';
import { drawExpense, isOpenOn, openWeekday, weekday, writeNarrative } from './demo-work.js';

/** How many of each mistake go in: together about one entry in nine. */
const INJECTED = {
  blockBilling: 20,
  vague: 28,
  missingCode: 28,
  invalidCode: 14,
  quarterHours: 14,
  clerical: 18,
  duplicates: 14,
  longDays: 5,
  lateEntries: 8,
  afterClosing: 6,
  overCapExpenses: 8,
  /** Not a mistake: time written off at entry, which pre-bills show as no charge. */
  noCharge: 20,
};

const matterOf = (code: string): DemoMatter => MATTERS.find((m) => m.code === code)!;
const isWeekend = (date: string): boolean => weekday(date) % 6 === 0;

/**
 * Turns a realistic share of clean work into the mistakes that get invoices rejected, and adds
 * the entries and expenses that are wrong in themselves. An entry gets at most one rewording.
 */
export function injectProblems(
  rng: DemoRandom,
  clean: WorkEntry[],
  expenses: WorkExpense[],
  period: DemoPeriod,
  windows: Map<string, MatterWindow>,
): WorkEntry[] {
  const entries = mergeIntoBlocks(rng, clean);
  rewordEntries(rng, entries);
  const added = extraEntries(rng, entries, period, windows);
  for (let i = 0; i < INJECTED.overCapExpenses; i++) {
    const matter = rng.pick(MATTERS.filter((m) => windows.get(m.code)!.closed === null));
    const date = openWeekday(rng, period, windows.get(matter.code)!);
    if (date === null) continue;
    const kind = OVER_CAP_EXPENSES[i % OVER_CAP_EXPENSES.length]!;
    const timekeeper = rng.pick(Object.keys(matter.team));
    expenses.push({ matter: matter.code, timekeeper, date, ...drawExpense(rng, kind) });
  }
  return [...entries, ...added];
}

/** Block billing: a day's separate tasks on one matter lumped into one entry. */
function mergeIntoBlocks(rng: DemoRandom, entries: WorkEntry[]): WorkEntry[] {
  const groups = new Map<string, WorkEntry[]>();
  for (const e of entries) {
    const key = `${dayKey(e)}|${e.matter}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const candidates = rng.shuffle([...groups.values()].filter((g) => g.length >= 2));
  const removed = new Set<WorkEntry>();
  for (const group of candidates.slice(0, INJECTED.blockBilling)) {
    const lumped = group.slice(0, 3);
    const first = lumped[0]!;
    first.narrative = lumped.map((e) => e.narrative).join('; ');
    first.hours = lumped.reduce((sum, e) => sum + e.hours, 0);
    first.touched = true;
    for (const e of lumped.slice(1)) removed.add(e);
  }
  return entries.filter((e) => !removed.has(e));
}

function rewordEntries(rng: DemoRandom, entries: WorkEntry[]): void {
  const fresh = (count: number, filter: (e: WorkEntry) => boolean = () => true) => {
    const picked = rng.shuffle(entries.filter((e) => !e.touched && filter(e))).slice(0, count);
    for (const e of picked) e.touched = true;
    return picked;
  };
  const codeSet = (e: WorkEntry) => matterOf(e.matter).codeSet;
  for (const e of fresh(INJECTED.vague)) e.narrative = rng.pick(VAGUE_NARRATIVES);
  fresh(INJECTED.missingCode).forEach((e, i) => {
    if (i % 8 < 4 || i % 8 === 7) e.task = '';
    if (i % 8 >= 4) e.activity = '';
  });
  fresh(INJECTED.invalidCode).forEach((e, i) => {
    if (i % 3 === 2) e.activity = rng.pick(INVALID_ACTIVITY_CODES);
    else e.task = rng.pick(INVALID_TASK_CODES[codeSet(e)]);
  });
  // Quarter hours from a timer app: 1.3 becomes 1.25 (never more time than was recorded).
  for (const e of fresh(INJECTED.quarterHours, (e) => e.hours >= 20)) e.hours -= 5;
  const support = (e: WorkEntry) =>
    ['PL', 'LA', 'OT'].includes(timekeeperOf(e.timekeeper).classification);
  for (const e of fresh(INJECTED.clerical, support)) {
    e.narrative = rng.pick(CLERICAL_NARRATIVES);
    e.task = ADMIN_TASK[codeSet(e)];
    e.activity = 'A110';
  }
  for (const e of fresh(INJECTED.noCharge)) e.billable = false;
}

/** Duplicates, days past eight hours, late entries and time on a closed matter. */
function extraEntries(
  rng: DemoRandom,
  entries: WorkEntry[],
  period: DemoPeriod,
  windows: Map<string, MatterWindow>,
): WorkEntry[] {
  const totals = dayTotals(entries);
  const fits = (key: string, hours: number) => (totals.get(key) ?? 0) + hours <= DAILY_HOURS_LIMIT;
  const record = (entry: WorkEntry) => {
    totals.set(dayKey(entry), (totals.get(dayKey(entry)) ?? 0) + entry.hours);
    added.push(entry);
  };
  const added: WorkEntry[] = [];
  const untouched = (filter: (e: WorkEntry) => boolean) =>
    rng.shuffle(entries.filter((e) => !e.touched && filter(e)));

  const small = (e: WorkEntry) => e.hours <= 150 && fits(dayKey(e), e.hours);
  for (const e of untouched(small).slice(0, INJECTED.duplicates)) {
    e.touched = true;
    record({ ...e });
  }

  // A brief due tomorrow pushes a timekeeper well past eight hours.
  const longDays = new Set<string>();
  const weekdayWork = (e: WorkEntry) =>
    !isWeekend(e.date) && timekeeperOf(e.timekeeper).classification !== 'LA';
  for (const e of untouched(weekdayWork)) {
    if (longDays.size === INJECTED.longDays) break;
    if (longDays.has(dayKey(e))) continue;
    longDays.add(dayKey(e));
    const extra = rng.int(900, 1150) - totals.get(dayKey(e))!;
    const written = writeNarrative(rng, matterOf(e.matter));
    record({ ...e, ...written, hours: Math.round(extra / 10) * 10, touched: true });
  }

  const newEntry = (matter: DemoMatter, timekeeper: string, date: string, hours: number) => ({
    matter: matter.code,
    timekeeper,
    date,
    hours,
    ...writeNarrative(rng, matter),
    billable: true,
    touched: true,
  });

  // Late time: dated in the days before the period, recorded after it closed.
  for (let made = 0, attempts = 0; made < INJECTED.lateEntries && attempts < 100; attempts++) {
    const date = addDays(period.from, -rng.int(1, 9));
    if (isWeekend(date)) continue;
    const matter = rng.pick(MATTERS.filter((m) => isOpenOn(windows.get(m.code)!, date)));
    const hours = rng.int(5, 25) * 10;
    const timekeeper = rng.pick(Object.keys(matter.team));
    if (!fits(`${timekeeper}|${date}`, hours)) continue;
    record(newEntry(matter, timekeeper, date, hours));
    made++;
  }

  for (const matter of MATTERS.filter((m) => windows.get(m.code)!.closed !== null)) {
    const closed = windows.get(matter.code)!.closed!;
    for (let made = 0, attempts = 0; made < INJECTED.afterClosing && attempts < 100; attempts++) {
      const date = addDays(closed, rng.int(1, 30));
      const timekeeper = rng.pick(Object.keys(matter.team));
      const hours = rng.int(3, 15) * 10;
      if (date > period.to || isWeekend(date) || !fits(`${timekeeper}|${date}`, hours)) continue;
      record(newEntry(matter, timekeeper, date, hours));
      made++;
    }
  }
  return added;
}
