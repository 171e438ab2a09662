/**
 * The firm calendar: holidays stored in the database, managed by admins and legal ops (each
 * change audited), and read by every business-day SLA. Days listed in MATTERFLOW_HOLIDAYS count
 * too: they seed the calendar from the environment and are shown with `source: environment`.
 */
import type { Kysely } from 'kysely';
import type { NotificationSettings } from '../../config/notifications.js';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { isIsoDate } from '../../domain/dates.js';
import { conflict, notFound, validationError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import type { BusinessCalendar } from '../../domain/workflow/sla.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { notificationSettingsOf } from '../notifications/settings.js';
import * as repo from './calendar.repository.js';

export interface HolidayDto {
  date: string;
  name: string;
  source: 'database' | 'environment';
  created_by: number | null;
  created_at: Date | null;
}

/** The calendar business-day SLAs use now: weekends, the stored holidays and the environment's. */
export async function businessCalendarOf(
  db: Kysely<DB>,
  settings: NotificationSettings,
): Promise<BusinessCalendar> {
  const stored = await repo.allHolidayDates(db);
  return {
    ...settings.calendar,
    holidays: [...new Set([...settings.calendar.holidays, ...stored])].sort(),
  };
}

function checkDate(date: string, field: string): void {
  if (!isIsoDate(date))
    throw validationError('HOLIDAY_DATE_INVALID', `"${date}" is not a date as YYYY-MM-DD.`, [
      { field, message: 'must be a calendar date as YYYY-MM-DD' },
    ]);
}

/** The holidays from `from` to `to` (inclusive, optional), stored and from the environment. */
export async function listHolidays(
  ctx: AppContext,
  range: { from?: string | undefined; to?: string | undefined } = {},
): Promise<HolidayDto[]> {
  if (range.from !== undefined) checkDate(range.from, 'from');
  if (range.to !== undefined) checkDate(range.to, 'to');
  const stored = await repo.listHolidays(ctx.db, {
    ...(range.from !== undefined ? { from: range.from } : {}),
    ...(range.to !== undefined ? { to: range.to } : {}),
  });
  const items: HolidayDto[] = stored.map((h) => ({
    date: h.holiday_date,
    name: h.name,
    source: 'database',
    created_by: h.created_by === null ? null : Number(h.created_by),
    created_at: h.created_at,
  }));
  const storedDates = new Set(items.map((h) => h.date));
  for (const date of notificationSettingsOf(ctx).calendar.holidays)
    if (
      !storedDates.has(date) &&
      (range.from === undefined || date >= range.from) &&
      (range.to === undefined || date <= range.to)
    )
      items.push({
        date,
        name: 'MATTERFLOW_HOLIDAYS',
        source: 'environment',
        created_by: null,
        created_at: null,
      });
  return items.sort((a, b) => a.date.localeCompare(b.date));
}

/** Adds a holiday; a day that already is one is a conflict. */
export async function addHoliday(
  ctx: AppContext,
  actor: Actor,
  input: { date: string; name: string },
): Promise<HolidayDto> {
  checkDate(input.date, 'date');
  const name = input.name.trim();
  if (name === '')
    throw validationError('HOLIDAY_NAME_EMPTY', 'Name the holiday.', [
      { field: 'name', message: 'must not be empty' },
    ]);
  const now = ctx.now();
  const createdBy = actor.via === 'system' ? null : Number(actor.userId);
  await ctx.db.transaction().execute(async (trx) => {
    const inserted = await repo.insertHoliday(trx, {
      holiday_date: input.date,
      name,
      created_by: createdBy,
      created_at: now,
    });
    if (!inserted)
      throw conflict('HOLIDAY_EXISTS', `${input.date} is already a holiday of the firm.`);
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'calendar.holiday_add',
        entityType: 'firm_holiday',
        entityId: input.date,
        after: { date: input.date, name },
      },
      now,
    );
  });
  return { date: input.date, name, source: 'database', created_by: createdBy, created_at: now };
}

/** Removes a stored holiday; days from MATTERFLOW_HOLIDAYS are changed in the environment. */
export async function removeHoliday(ctx: AppContext, actor: Actor, date: string): Promise<void> {
  checkDate(date, 'date');
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const name = await repo.deleteHoliday(trx, date);
    if (name === undefined) {
      if (notificationSettingsOf(ctx).calendar.holidays.includes(date))
        throw conflict(
          'HOLIDAY_FROM_ENVIRONMENT',
          `${date} comes from MATTERFLOW_HOLIDAYS; remove it there.`,
        );
      throw notFound('HOLIDAY_NOT_FOUND', `${date} is not a holiday of the firm.`);
    }
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'calendar.holiday_remove',
        entityType: 'firm_holiday',
        entityId: date,
        before: { date, name },
      },
      now,
    );
  });
}
