/**
 * Wall-clock time in the firm's time zone: reminders go out on the firm's Friday afternoon and
 * digests at the firm's morning, whatever zone the server runs in. Intl does the zone rules.
 */
import { addDays, type IsoDate } from '../dates.js';

export interface LocalTime {
  date: IsoDate;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True when `timeZone` is an IANA zone name Intl knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function wallClockMillis(instant: Date, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** The firm's local date, weekday and time at `instant`. */
export function localTime(instant: Date, timeZone: string): LocalTime {
  const wall = new Date(wallClockMillis(instant, timeZone));
  return {
    date: wall.toISOString().slice(0, 10),
    weekday: wall.getUTCDay(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
  };
}

/** The instant at which the firm's clocks show `hour`:00 on `date`. */
export function zonedInstant(date: IsoDate, hour: number, timeZone: string): Date {
  const wanted = Date.parse(`${date}T00:00:00Z`) + hour * 3_600_000;
  let guess = wanted;
  // Two rounds settle the offset, also across a daylight-saving change.
  for (let round = 0; round < 2; round++)
    guess += wanted - wallClockMillis(new Date(guess), timeZone);
  return new Date(guess);
}

/** ISO 8601 week of a date, as `2026-W48`. */
export function isoWeek(date: IsoDate): string {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = day.getUTCDay() || 7;
  const thursday = new Date(day.getTime() + (4 - weekday) * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The latest occurrence, at or before `now`, of `hour`:00 local time on `weekday` (or any day when null). */
export function latestOccurrence(
  now: Date,
  timeZone: string,
  weekday: number | null,
  hour: number,
): { date: IsoDate; at: Date } {
  let date = localTime(now, timeZone).date;
  for (let back = 0; back < 15; back++, date = addDays(date, -1)) {
    if (weekday !== null && new Date(`${date}T00:00:00Z`).getUTCDay() !== weekday) continue;
    const at = zonedInstant(date, hour, timeZone);
    if (at.getTime() <= now.getTime()) return { date, at };
  }
  throw new RangeError('no occurrence found in the last two weeks');
}

/** The next occurrence strictly after `now` of `hour`:00 local time (any day). */
export function nextDailyOccurrence(now: Date, timeZone: string, hour: number): Date {
  let date = localTime(now, timeZone).date;
  for (let ahead = 0; ahead < 3; ahead++, date = addDays(date, 1)) {
    const at = zonedInstant(date, hour, timeZone);
    if (at.getTime() > now.getTime()) return at;
  }
  throw new RangeError('no occurrence found in the next three days');
}
