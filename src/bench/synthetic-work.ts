/**
 * The synthetic firm's month of time entries, generated one at a time: each timekeeper records a
 * share of the month's entries on every working day, mostly on a few matters of their own teams,
 * with the problems e-billing reviewers flag mixed in at realistic rates.
 */
import type { IsoDate } from '../domain/dates.js';
import type { TimeEntryInput } from '../domain/guidelines/index.js';
import type { HundredthHours } from '../domain/money.js';
import { formatHours } from '../domain/money.js';
import { DemoRandom } from '../modules/demo/demo-random.js';
import type { SyntheticFirm, SyntheticMatter, SyntheticTimekeeper } from './synthetic-firm.js';
import { weekdayOf } from './synthetic-firm.js';
import {
  CLEAN_NARRATIVES,
  INTERNAL_CONFERENCE,
  INVALID_ACTIVITY_CODES,
  INVALID_TASK_CODES,
  PROBLEM_NARRATIVES,
} from './synthetic-vocabulary.js';

export interface SyntheticEntry {
  readonly id: string;
  readonly matter: SyntheticMatter;
  readonly timekeeper: SyntheticTimekeeper;
  readonly workDate: IsoDate;
  readonly hours: HundredthHours;
  readonly narrative: string;
  readonly taskCode: string | null;
  readonly activityCode: string | null;
  readonly billable: boolean;
}

/** Share of entries carrying each problem; an entry may carry several. */
export const PROBLEM_RATES = {
  /** A timekeeper-day spent on one matter with long entries, well over 10 hours. */
  longDay: 0.008,
  duplicate: 0.01,
  /** Work on a matter outside the timekeeper's teams (unapproved where the matter restricts). */
  otherMatter: 0.01,
  /** Share of a matter's strategy-session days each team member bills the session. */
  conference: 0.35,
  vague: 0.02,
  block: 0.025,
  banned: 0.01,
  clerical: 0.015,
  travel: 0.01,
  longNarrative: 0.001,
  overLimitHours: 0.015,
  offIncrement: 0.01,
  missingCode: 0.015,
  invalidCode: 0.01,
  nonBillable: 0.04,
} as const;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Hours of an ordinary entry: mostly short calls and reviews, some long drafting sessions. */
const HOUR_BANDS: readonly (readonly [readonly [number, number], number])[] = [
  [[1, 4], 60],
  [[5, 10], 25],
  [[11, 25], 12],
  [[26, 40], 3],
];

/** Every entry of the firm's month, in timekeeper then date order; exactly `options.entries`. */
export function* syntheticEntries(firm: SyntheticFirm): Generator<SyntheticEntry> {
  const rng = new DemoRandom(firm.options.seed ^ 0x5eed_0bad);
  const { entries: total } = firm.options;
  const timekeepers = firm.timekeepers;
  const days = firm.workDays;
  const weekdays = days.map(weekdayOf);
  let sequence = 0;
  for (const timekeeper of timekeepers) {
    const quota =
      Math.floor(total / timekeepers.length) +
      (timekeeper.index < total % timekeepers.length ? 1 : 0);
    for (let d = 0; d < days.length; d++) {
      const count =
        Math.floor((quota * (d + 1)) / days.length) - Math.floor((quota * d) / days.length);
      const longDay = rng.chance(PROBLEM_RATES.longDay);
      const focus = longDay
        ? [rng.pick(timekeeper.matters)]
        : [
            rng.pick(timekeeper.matters),
            rng.pick(timekeeper.matters),
            rng.pick(timekeeper.matters),
          ];
      let previous: SyntheticEntry | null = null;
      for (let i = 0; i < count; i++) {
        const id = `SE-${pad(++sequence, 7)}`;
        if (previous !== null && rng.chance(PROBLEM_RATES.duplicate)) {
          yield { ...previous, id };
          continue;
        }
        const matter = rng.chance(PROBLEM_RATES.otherMatter)
          ? rng.pick(firm.matters)
          : rng.pick(focus);
        const meeting = matter.meetingWeekday === weekdays[d];
        previous = makeEntry(rng, { id, matter, timekeeper, workDate: days[d]!, longDay, meeting });
        yield previous;
      }
    }
  }
}

interface EntrySlot {
  id: string;
  matter: SyntheticMatter;
  timekeeper: SyntheticTimekeeper;
  workDate: IsoDate;
  longDay: boolean;
  meeting: boolean;
}

function makeEntry(rng: DemoRandom, slot: EntrySlot): SyntheticEntry {
  const party = slot.matter.party;
  let template = rng.pick(CLEAN_NARRATIVES);
  if (slot.meeting && rng.chance(PROBLEM_RATES.conference)) template = INTERNAL_CONFERENCE;
  let text: string = template[2];
  const roll = rng.next();
  let edge = 0;
  for (const kind of ['vague', 'block', 'banned', 'clerical', 'travel'] as const) {
    edge += PROBLEM_RATES[kind];
    if (roll < edge) {
      text = rng.pick(PROBLEM_NARRATIVES[kind]);
      break;
    }
  }
  if (rng.chance(PROBLEM_RATES.longNarrative)) text = Array(24).fill(text).join(' and ');
  let taskCode: string | null = template[0];
  let activityCode: string | null = template[1];
  if (rng.chance(PROBLEM_RATES.missingCode)) {
    if (rng.chance(0.5)) taskCode = null;
    else activityCode = null;
  } else if (rng.chance(PROBLEM_RATES.invalidCode)) {
    if (rng.chance(0.6)) taskCode = rng.pick(INVALID_TASK_CODES);
    else activityCode = rng.pick(INVALID_ACTIVITY_CODES);
  }
  return {
    id: slot.id,
    matter: slot.matter,
    timekeeper: slot.timekeeper,
    workDate: slot.workDate,
    hours: entryHours(rng, slot.longDay),
    narrative: text.includes('{party}') ? text.replace('{party}', party) : text,
    taskCode,
    activityCode,
    billable: !rng.chance(PROBLEM_RATES.nonBillable),
  };
}

function entryHours(rng: DemoRandom, longDay: boolean): HundredthHours {
  if (longDay) return rng.int(8, 15) * 10;
  if (rng.chance(PROBLEM_RATES.overLimitHours)) return rng.int(41, 80) * 10;
  const [low, high] = rng.weighted(HOUR_BANDS);
  const tenths = rng.int(low, high);
  // Quarter-hour habits from another time system: 0.25 h is not a multiple of 0.1 h.
  return rng.chance(PROBLEM_RATES.offIncrement) ? tenths * 10 + 5 : tenths * 10;
}

/** The entry as the guideline engine sees it; ids are the codes, as the firm's systems know them. */
export function toEntryInput(firm: SyntheticFirm, entry: SyntheticEntry): TimeEntryInput {
  const { matter, timekeeper } = entry;
  return {
    id: entry.id,
    clientCode: matter.client.code,
    matterId: matter.code,
    matterCode: matter.code,
    timekeeperId: timekeeper.code,
    timekeeperCode: timekeeper.code,
    classification: timekeeper.classification,
    workDate: entry.workDate,
    hours: entry.hours,
    narrative: entry.narrative,
    taskCode: entry.taskCode,
    activityCode: entry.activityCode,
    billable: entry.billable,
    rate: firm.rateFor(timekeeper, matter),
    approvedRate: matter.approvedRates.get(timekeeper.code) ?? null,
    matterApprovedTimekeeperIds: matter.approvedCodes,
    matterClosedOn: matter.closedOn,
  };
}

/** The entry as a row of the time-entries import, with exactly its columns. */
export function toEntryRecord(entry: SyntheticEntry): Record<string, string> {
  return {
    entry_id: entry.id,
    matter_code: entry.matter.code,
    timekeeper_code: entry.timekeeper.code,
    work_date: entry.workDate,
    hours: formatHours(entry.hours),
    narrative: entry.narrative,
    task_code: entry.taskCode ?? '',
    activity_code: entry.activityCode ?? '',
    billable: entry.billable ? 'yes' : 'no',
  };
}

/** Time entries grouped by client, the unit one client's guideline is evaluated over. */
export function entryInputsByClient(firm: SyntheticFirm): Map<string, TimeEntryInput[]> {
  const byClient = new Map<string, TimeEntryInput[]>();
  for (const client of firm.clients) byClient.set(client.code, []);
  for (const entry of syntheticEntries(firm)) {
    byClient.get(entry.matter.client.code)!.push(toEntryInput(firm, entry));
  }
  return byClient;
}
