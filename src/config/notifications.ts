import { resolve } from 'node:path';
import { isIsoDate } from '../domain/dates.js';
import { isTimeZone } from '../domain/notifications/firm-time.js';
import type { BusinessCalendar } from '../domain/workflow/sla.js';

/** How notifications are delivered and when scheduled ones go out; read from the environment. */
export interface NotificationSettings {
  /** The web app's address for deep links (MATTERFLOW_BASE_URL). */
  baseUrl: string;
  /** SMTP server (MATTERFLOW_SMTP_URL, e.g. smtp://user:pass@mail.firm.example:587); null writes .eml files. */
  smtpUrl: string | null;
  /** Sender address (MATTERFLOW_MAIL_FROM). */
  mailFrom: string;
  /** Where .eml files go without SMTP: `<data dir>/mail`. */
  mailDir: string;
  /** The firm's IANA time zone (MATTERFLOW_TIME_ZONE). */
  timeZone: string;
  /** Weekly time-entry reminder: day (0 = Sunday … 6) and hour, firm time. */
  reminderDay: number;
  reminderHour: number;
  /** Manager digest: daily or weekly (on `digestDay`) at `digestHour`, firm time. */
  digestFrequency: 'daily' | 'weekly';
  digestDay: number;
  digestHour: number;
  /** New exceptions for one owner are gathered into one alert per window. */
  exceptionWindowMinutes: number;
  /** Failed deliveries are retried with backoff; after this many tries a message is parked. */
  maxAttempts: number;
  /** Email and webhook bodies include narratives and finding messages only when true. */
  includeNarratives: boolean;
  /** Weekends and holidays for business-day SLAs. */
  calendar: BusinessCalendar;
}

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  return value;
}

function weekday(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  const named = DAYS.indexOf(raw);
  if (named >= 0) return named;
  return integer(env, name, fallback, 0, 6);
}

/** Reads the notification settings; throws naming the variable when one is malformed. */
export function loadNotificationSettings(
  env: NodeJS.ProcessEnv = process.env,
  dataDir: string = resolve(env.MATTERFLOW_DATA_DIR ?? 'data'),
): NotificationSettings {
  const timeZone = env.MATTERFLOW_TIME_ZONE ?? 'UTC';
  if (!isTimeZone(timeZone))
    throw new Error(`MATTERFLOW_TIME_ZONE must be an IANA time zone (got "${timeZone}").`);
  const baseUrl = env.MATTERFLOW_BASE_URL ?? 'http://localhost:3000';
  if (!/^https?:\/\//.test(baseUrl))
    throw new Error(`MATTERFLOW_BASE_URL must start with http:// or https:// (got "${baseUrl}").`);
  const smtpUrl = env.MATTERFLOW_SMTP_URL || null;
  if (smtpUrl !== null && !/^smtps?:\/\//.test(smtpUrl))
    throw new Error('MATTERFLOW_SMTP_URL must start with smtp:// or smtps://.');
  const frequency = env.MATTERFLOW_DIGEST_FREQUENCY ?? 'daily';
  if (frequency !== 'daily' && frequency !== 'weekly')
    throw new Error(`MATTERFLOW_DIGEST_FREQUENCY must be daily or weekly (got "${frequency}").`);
  const holidays = (env.MATTERFLOW_HOLIDAYS ?? '')
    .split(',')
    .map((day) => day.trim())
    .filter((day) => day !== '');
  const badHoliday = holidays.find((day) => !isIsoDate(day));
  if (badHoliday !== undefined)
    throw new Error(`MATTERFLOW_HOLIDAYS must list dates as YYYY-MM-DD (got "${badHoliday}").`);
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    smtpUrl,
    mailFrom: env.MATTERFLOW_MAIL_FROM ?? 'Matterflow <matterflow@localhost>',
    mailDir: resolve(dataDir, 'mail'),
    timeZone,
    reminderDay: weekday(env, 'MATTERFLOW_REMINDER_DAY', 5),
    reminderHour: integer(env, 'MATTERFLOW_REMINDER_HOUR', 14, 0, 23),
    digestFrequency: frequency,
    digestDay: weekday(env, 'MATTERFLOW_DIGEST_DAY', 1),
    digestHour: integer(env, 'MATTERFLOW_DIGEST_HOUR', 7, 0, 23),
    exceptionWindowMinutes: integer(env, 'MATTERFLOW_EXCEPTION_ALERT_WINDOW_MINUTES', 15, 1, 1440),
    maxAttempts: integer(env, 'MATTERFLOW_NOTIFICATION_MAX_ATTEMPTS', 8, 1, 100),
    includeNarratives: env.MATTERFLOW_EMAIL_NARRATIVES === 'true',
    calendar: { holidays },
  };
}
