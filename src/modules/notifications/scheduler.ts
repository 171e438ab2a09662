/**
 * The scheduler: derives from the database what is due now (weekly time-entry reminders, SLA
 * escalations, manager digests) and queues it under keys that name the occasion, so a restart
 * loses nothing and two schedulers never queue the same message twice.
 */
import type { AppContext } from '../../config/context.js';
import { escalateOverdueInvoices } from './schedule-escalations.js';
import { queueManagerDigests } from './schedule-digests.js';
import { queueTimeEntryReminders } from './schedule-reminders.js';
import { notificationSettingsOf } from './settings.js';

export interface ScheduleResult {
  /** Recipients reached by each kind in this run. */
  reminders: number;
  escalations: number;
  digests: number;
}

/** Queues everything the schedule makes due at `ctx.now()`. */
export async function runScheduler(ctx: AppContext): Promise<ScheduleResult> {
  const settings = notificationSettingsOf(ctx);
  const now = ctx.now();
  const escalations = await escalateOverdueInvoices(ctx.db, settings, now);
  // Reminders and digests are written per recipient; each recipient's rows are one statement.
  const reminders = await queueTimeEntryReminders(ctx.db, settings, now);
  const digests = await queueManagerDigests(ctx.db, settings, now);
  return { reminders, escalations, digests };
}
