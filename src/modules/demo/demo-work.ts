import type { IsoDate } from '../../domain/dates.js';
import { addDays } from '../../domain/dates.js';
import type { Classification } from '../../domain/roles.js';
import type { DemoRandom } from './demo-random.js';
import type { DemoMatter } from './demo-matters.js';
import { MATTERS } from './demo-matters.js';
import type { DemoPeriod } from './demo-roster.js';
import { TIMEKEEPERS } from './demo-roster.js';
import type { ExpenseKind } from './demo-expense-kinds.js';
import { EXPENSES } from './demo-expense-kinds.js';
import { NARRATIVES } from './demo-vocabulary.js';

/** A time entry while the firm is being generated (hours in hundredths). */
export interface WorkEntry {
  matter: string;
  timekeeper: string;
  date: IsoDate;
  hours: number;
  narrative: string;
  task: string;
  activity: string;
  billable: boolean;
  /** Already turned into a problem (or the source of one): leave it alone. */
  touched: boolean;
}

/** An expense while the firm is being generated (quantity whole units, unit cost in cents). */
export interface WorkExpense {
  matter: string;
  timekeeper: string;
  date: IsoDate;
  code: string;
  description: string;
  quantity: number;
  unitCost: number;
}

/** When each matter can take time: from opening to closing (inclusive). */
export interface MatterWindow {
  opened: IsoDate;
  closed: IsoDate | null;
}

export function matterWindows(period: DemoPeriod): Map<string, MatterWindow> {
  return new Map(
    MATTERS.map((m) => [
      m.code,
      {
        opened: addDays(period.from, -m.openedDaysBefore),
        closed:
          m.closedOnDay === null
            ? null
            : `${period.from.slice(0, 8)}${String(m.closedOnDay).padStart(2, '0')}`,
      },
    ]),
  );
}

export function isOpenOn(window: MatterWindow, date: IsoDate): boolean {
  return window.opened <= date && (window.closed === null || date <= window.closed);
}

/** Day of the week, 0 = Sunday, without the local time zone. */
export function weekday(date: IsoDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** A typical recorded day, in tenths of an hour, by classification (always under 8 hours). */
const DAY_TENTHS: Record<Classification, readonly [number, number]> = {
  PT: [35, 70],
  OC: [30, 65],
  AS: [50, 78],
  PL: [40, 72],
  LA: [25, 55],
  OT: [25, 55],
};

/** A narrative written the way this matter's timekeepers write them, with its UTBMS codes. */
export function writeNarrative(
  rng: DemoRandom,
  matter: DemoMatter,
): { narrative: string; task: string; activity: string } {
  const tasks = NARRATIVES[matter.codeSet];
  const task = rng.pick(Object.keys(tasks));
  const template = rng.pick(tasks[task]!);
  const narrative = template
    .slice(5)
    .replaceAll('{party}', matter.party)
    .replaceAll('{topic}', matter.topic);
  return { narrative, task, activity: template.slice(0, 4) };
}

function splitDay(rng: DemoRandom, tenths: number): number[] {
  const pieces: number[] = [];
  let left = tenths;
  while (left > 0) {
    // Mostly half-hour to three-hour blocks of work, some short calls and emails.
    let piece = Math.min(left, rng.chance(0.15) ? rng.int(2, 6) : rng.int(10, 35));
    if (left - piece > 0 && left - piece < 2) piece = left;
    pieces.push(piece);
    left -= piece;
  }
  return pieces;
}

/** Records an ordinary day's time for every timekeeper across the period. */
export function generateTime(
  rng: DemoRandom,
  period: DemoPeriod,
  windows: Map<string, MatterWindow>,
): WorkEntry[] {
  const entries: WorkEntry[] = [];
  for (let date = period.from; date <= period.to; date = addDays(date, 1)) {
    const day = weekday(date);
    for (const keeper of TIMEKEEPERS) {
      const senior = keeper.classification === 'AS' || keeper.classification === 'PT';
      const works =
        day === 6
          ? senior && rng.chance(0.1)
          : day === 0
            ? keeper.classification === 'AS' && rng.chance(0.04)
            : rng.chance(0.74);
      if (!works) continue;
      const matters = MATTERS.filter(
        (m) => keeper.code in m.team && isOpenOn(windows.get(m.code)!, date),
      ).map((m) => [m, m.team[keeper.code]!] as const);
      if (matters.length === 0) continue;
      const [min, max] = DAY_TENTHS[keeper.classification];
      const weekendFactor = day === 0 || day === 6 ? 0.5 : 1;
      const tenths = Math.max(2, Math.round(rng.int(min, max) * weekendFactor));
      const seen = new Set<string>();
      for (const piece of splitDay(rng, tenths)) {
        const matter = rng.weighted(matters);
        let written = writeNarrative(rng, matter);
        for (let retry = 0; retry < 5 && seen.has(written.narrative); retry++)
          written = writeNarrative(rng, matter);
        seen.add(written.narrative);
        entries.push({
          matter: matter.code,
          timekeeper: keeper.code,
          date,
          hours: piece * 10,
          ...written,
          billable: true,
          touched: false,
        });
      }
    }
  }
  return entries;
}

/** One expense of a kind, with its quantity and unit cost drawn from the kind's ranges. */
export function drawExpense(
  rng: DemoRandom,
  kind: ExpenseKind,
): Omit<WorkExpense, 'matter' | 'timekeeper' | 'date'> {
  return {
    code: kind.code,
    description: kind.description,
    quantity: rng.int(kind.quantity[0], kind.quantity[1]),
    unitCost: rng.int(kind.unitCost[0], kind.unitCost[1]),
  };
}

/** A random weekday on which the matter is open, or null when there is none in the period. */
export function openWeekday(
  rng: DemoRandom,
  period: DemoPeriod,
  window: MatterWindow,
): IsoDate | null {
  for (let attempt = 0; attempt < 50; attempt++) {
    const length = Math.round((Date.parse(period.to) - Date.parse(period.from)) / 86_400_000);
    const date = addDays(period.from, rng.int(0, length));
    const day = weekday(date);
    if (day !== 0 && day !== 6 && isOpenOn(window, date)) return date;
  }
  return null;
}

/** Disbursements on every matter: copying, research, couriers, filing fees, transcripts. */
export function generateExpenses(
  rng: DemoRandom,
  period: DemoPeriod,
  windows: Map<string, MatterWindow>,
): WorkExpense[] {
  const expenses: WorkExpense[] = [];
  for (const matter of MATTERS) {
    const window = windows.get(matter.code)!;
    const count = window.closed !== null ? 3 : matter.restricted ? 4 : rng.int(6, 10);
    const team = Object.keys(matter.team);
    for (let i = 0; i < count; i++) {
      const date = openWeekday(rng, period, window);
      if (date === null) continue;
      const kind = rng.pick(EXPENSES[matter.codeSet]);
      // Copying is a firm-level cost, not charged to one timekeeper; so are some others.
      const timekeeper = kind.code === 'E101' || rng.chance(0.2) ? '' : rng.pick(team);
      expenses.push({ matter: matter.code, timekeeper, date, ...drawExpense(rng, kind) });
    }
  }
  return expenses;
}
