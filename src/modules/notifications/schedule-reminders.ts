/**
 * `time_entry_reminder`: once a week, at the firm's configured day and hour, each timekeeper
 * with unreleased entries or open findings they own gets one message listing them. The key
 * names the ISO week, so a scheduler that was down at the hour sends it when it comes back
 * (within three days), and two schedulers send it once.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { NotificationSettings } from '../../config/notifications.js';
import type { DB } from '../../db/schema.js';
import { isoWeek, latestOccurrence } from '../../domain/notifications/firm-time.js';
import type { ReminderEntry, ReminderFinding } from '../../domain/notifications/kinds.js';
import { enqueueNotification } from './enqueue.js';

/** Items listed in one reminder; the rest are counted in the app, one click away. */
const MAX_ITEMS = 50;
/** A scheduler down at the hour still sends the week's reminder if it is back within 3 days. */
export const REMINDER_CATCH_UP_MS = 72 * 3_600_000;

/** A matter the user may hear about: not walled, or walled with them inside. */
function visibleTo(userRef: 'u.id') {
  return sql<boolean>`(not m.restricted or exists (
    select 1 from matter_member mm where mm.matter_id = m.id and mm.user_id = ${sql.ref(userRef)}))`;
}

/** Queues this week's reminders that are due and not yet queued; returns how many. */
export async function queueTimeEntryReminders(
  db: Kysely<DB>,
  settings: NotificationSettings,
  now: Date,
): Promise<number> {
  const occurrence = latestOccurrence(
    now,
    settings.timeZone,
    settings.reminderDay,
    settings.reminderHour,
  );
  if (now.getTime() - occurrence.at.getTime() > REMINDER_CATCH_UP_MS) return 0;
  const week = isoWeek(occurrence.date);
  const key = `time_entry_reminder:${week}`;
  const users = await db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.timekeeper_id'])
    .where('u.active', '=', true)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('time_entry as te')
            .innerJoin('matter as m', 'm.id', 'te.matter_id')
            .select('te.id')
            .whereRef('te.timekeeper_id', '=', 'u.timekeeper_id')
            .where('te.status', '=', 'draft')
            .where('te.active', '=', true)
            .where(visibleTo('u.id')),
        ),
        eb.exists(
          eb
            .selectFrom('guideline_exception as e')
            .innerJoin('matter as m', 'm.id', 'e.matter_id')
            .select('e.id')
            .whereRef('e.owner_user_id', '=', 'u.id')
            .where('e.state', '=', 'open')
            .where('e.entity_type', 'in', ['time_entry', 'expense'])
            .where(visibleTo('u.id')),
        ),
      ]),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('notification_outbox as o')
            .select('o.id')
            .whereRef('o.recipient_user_id', '=', 'u.id')
            .where('o.idempotency_key', 'like', `${key}:%`),
        ),
      ),
    )
    .orderBy('u.id')
    .execute();
  let queued = 0;
  for (const user of users) {
    const [unreleased, findings] = await Promise.all([
      user.timekeeper_id === null
        ? Promise.resolve([])
        : db
            .selectFrom('time_entry as te')
            .innerJoin('matter as m', 'm.id', 'te.matter_id')
            .innerJoin('app_user as u', (join) => join.on('u.id', '=', user.id))
            .select([
              'te.id',
              'te.entry_id',
              'te.work_date',
              'te.hours',
              'te.narrative',
              'm.matter_code',
            ])
            .where('te.timekeeper_id', '=', user.timekeeper_id)
            .where('te.status', '=', 'draft')
            .where('te.active', '=', true)
            .where(visibleTo('u.id'))
            .orderBy('te.work_date')
            .orderBy('te.id')
            .limit(MAX_ITEMS)
            .execute(),
      db
        .selectFrom('guideline_exception as e')
        .innerJoin('matter as m', 'm.id', 'e.matter_id')
        .innerJoin('app_user as u', (join) => join.on('u.id', '=', user.id))
        .select(['e.id', 'e.rule_id', 'e.entity_external_id', 'e.message', 'm.matter_code'])
        .where('e.owner_user_id', '=', user.id)
        .where('e.state', '=', 'open')
        .where('e.entity_type', 'in', ['time_entry', 'expense'])
        .where(visibleTo('u.id'))
        .orderBy('e.id')
        .limit(MAX_ITEMS)
        .execute(),
    ]);
    const entries: ReminderEntry[] = unreleased.map((e) => ({
      id: e.id,
      externalId: e.entry_id,
      matterCode: e.matter_code,
      workDate: e.work_date,
      hours: e.hours,
      narrative: e.narrative,
    }));
    const open: ReminderFinding[] = findings.map((f) => ({
      id: f.id,
      ruleId: f.rule_id,
      matterCode: f.matter_code,
      entityId: f.entity_external_id,
      message: f.message,
    }));
    queued += await enqueueNotification(db, settings, now, {
      key,
      recipients: [user.id],
      matterId: null,
      dueAt: now,
      payload: { kind: 'time_entry_reminder', week, unreleased: entries, findings: open },
    });
  }
  return queued;
}
