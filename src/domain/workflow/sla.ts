/**
 * Stage SLAs: how long an invoice may sit in a stage before it is overdue. Deadlines are worked
 * out in UTC; a firm whose working day straddles midnight UTC may see a deadline a day early or
 * late, which is accepted for now in exchange for arithmetic everyone can check by hand.
 */
import { addDays, isIsoDate, type IsoDate } from '../dates.js';
import { TERMINAL_STATES, type InvoiceState } from './invoice-states.js';

/** Hours run around the clock; business days skip weekends and holidays. */
export type Sla = { readonly hours: number } | { readonly businessDays: number };

export interface BusinessCalendar {
  /** UTC days of the week that are not worked (0 = Sunday … 6 = Saturday); Saturday and Sunday by default. */
  readonly weekendDays?: readonly number[];
  readonly holidays: readonly IsoDate[];
}

/**
 * The default SLA of each stage; null where nobody has to act (done, or voided).
 * Approval's SLA applies per level: each level's sign-off starts a new clock.
 */
export const DEFAULT_STAGE_SLAS: Readonly<Record<InvoiceState, Sla | null>> = {
  draft: { businessDays: 2 },
  in_review: { businessDays: 2 },
  exception: { businessDays: 1 },
  waiting_on_timekeeper: { businessDays: 1 },
  ready_for_approval: { businessDays: 3 },
  approved: { businessDays: 1 },
  // Portals usually answer within two weeks; past that someone should look.
  submitted: { businessDays: 10 },
  // Payment terms are calendar days: 30 days.
  accepted: { hours: 720 },
  rejected: { businessDays: 2 },
  // A hold is revisited, not forgotten.
  on_hold: { businessDays: 10 },
  paid: null,
  void: null,
};

/** Every stage's SLA. */
export type StageSlas = Readonly<Record<InvoiceState, Sla | null>>;

/** The stages that may have an SLA: every stage but the terminal ones. */
export const SLA_STAGES = Object.keys(DEFAULT_STAGE_SLAS).filter(
  (state) => DEFAULT_STAGE_SLAS[state as InvoiceState] !== null,
) as Exclude<InvoiceState, 'paid' | 'void'>[];

/**
 * The SLAs in force: the firm's where it set one (null: no SLA for that stage), the default for
 * a stage it has not; terminal stages never have one.
 */
export function stageSlasWith(firm: Partial<Record<InvoiceState, Sla | null>>): StageSlas {
  const slas = { ...DEFAULT_STAGE_SLAS };
  for (const state of Object.keys(slas) as InvoiceState[])
    if (!TERMINAL_STATES.includes(state) && firm[state] !== undefined) slas[state] = firm[state];
  return slas;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
/** More than ten years of consecutive days off means the calendar is wrong, not the invoice. */
const MAX_DAYS_SCANNED = 3_660;

function toMillis(timestamp: string, name: string): number {
  const millis = TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(millis))
    throw new RangeError(`${name} must be an ISO timestamp with a zone (got "${timestamp}")`);
  return millis;
}

/** True when `date` (UTC) is a working day in `calendar`. */
export function isBusinessDay(date: IsoDate, calendar: BusinessCalendar): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const weekend = calendar.weekendDays ?? [0, 6];
  return !weekend.includes(weekday) && !calendar.holidays.includes(date);
}

/**
 * When an invoice that entered a stage at `enteredAt` becomes overdue, as an ISO timestamp.
 * For business days: the same UTC time of day on the n-th working day after the day it
 * entered, so a stage entered on Friday at 15:00 with 1 business day is due Monday at 15:00,
 * and one entered on Saturday is due Monday at the time it entered.
 */
export function businessDeadline(enteredAt: string, sla: Sla, calendar: BusinessCalendar): string {
  const start = toMillis(enteredAt, 'enteredAt');
  if ('hours' in sla) {
    if (!Number.isInteger(sla.hours) || sla.hours <= 0)
      throw new RangeError(`an SLA in hours must be a positive whole number (got ${sla.hours})`);
    return new Date(start + sla.hours * 3_600_000).toISOString();
  }
  if (!Number.isInteger(sla.businessDays) || sla.businessDays <= 0)
    throw new RangeError(
      `an SLA in business days must be a positive whole number (got ${sla.businessDays})`,
    );
  for (const holiday of calendar.holidays)
    if (!isIsoDate(holiday))
      throw new RangeError(`holidays must be dates as YYYY-MM-DD (got "${holiday}")`);
  const startDate = new Date(start).toISOString().slice(0, 10);
  const timeOfDay = start - Date.parse(`${startDate}T00:00:00Z`);
  let date = startDate;
  let counted = 0;
  for (let scanned = 0; counted < sla.businessDays; scanned++) {
    if (scanned > MAX_DAYS_SCANNED)
      throw new RangeError('the business calendar has no working days');
    date = addDays(date, 1);
    if (isBusinessDay(date, calendar)) counted++;
  }
  return new Date(Date.parse(`${date}T00:00:00Z`) + timeOfDay).toISOString();
}

/** True once `now` is strictly past the stage's deadline: due at 15:00 is still on time at 15:00. */
export function isOverdue(
  enteredAt: string,
  sla: Sla,
  calendar: BusinessCalendar,
  now: string,
): boolean {
  return toMillis(now, 'now') > Date.parse(businessDeadline(enteredAt, sla, calendar));
}
