/**
 * `exception_alert`: new guideline exceptions reach their owner, gathered into at most one
 * message per owner per window (MATTERFLOW_EXCEPTION_ALERT_WINDOW_MINUTES). The window's message
 * is due when the window closes; exceptions opened meanwhile join it. Each item goes only to
 * an owner who may see its matter and has not muted it: one query decides for all of them.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { NotificationSettings } from '../../config/notifications.js';
import type { DB } from '../../db/schema.js';
import { visibilityOfRoles } from '../../domain/field-visibility.js';
import { messageWithoutMoney } from '../../domain/guidelines/index.js';
import type { ExceptionItem } from '../../domain/notifications/kinds.js';
import { listRows } from '../field-visibility/field-visibility.repository.js';
import { enqueueNotification } from './enqueue.js';
import { notificationSettingsOf } from './settings.js';

/** The window an instant falls in: its start and when its message is due. */
export function alertWindow(now: Date, minutes: number): { start: Date; end: Date } {
  const size = minutes * 60_000;
  const start = Math.floor(now.getTime() / size) * size;
  return { start: new Date(start), end: new Date(start + size) };
}

/** Queues alerts for exceptions just opened (by id), inside the transaction that opened them. */
export async function queueExceptionAlerts(
  db: Kysely<DB>,
  now: Date,
  exceptionIds: readonly number[],
  settings: NotificationSettings = notificationSettingsOf({}),
): Promise<void> {
  if (exceptionIds.length === 0) return;
  const rows = await db
    .selectFrom('guideline_exception as e')
    .innerJoin('matter as m', 'm.id', 'e.matter_id')
    .innerJoin('app_user as u', 'u.id', 'e.owner_user_id')
    .select([
      'e.id',
      'e.owner_user_id',
      'u.roles as owner_roles',
      'e.rule_kind',
      'e.matter_id',
      'e.rule_id',
      'e.severity',
      'e.entity_type',
      'e.entity_external_id',
      'e.message',
      'm.matter_code',
    ])
    .where('e.id', 'in', [...exceptionIds])
    .where('e.state', '=', 'open')
    .where('e.owner_user_id', 'is not', null)
    // Per item: only an owner inside the matter's wall who has not muted the matter hears of it.
    .where(
      sql<boolean>`(not m.restricted or exists (select 1 from matter_member mm
        where mm.matter_id = m.id and mm.user_id = e.owner_user_id))`,
    )
    .where(
      sql<boolean>`not exists (select 1 from notification_mute nm
        where nm.matter_id = m.id and nm.user_id = e.owner_user_id)`,
    )
    .orderBy('e.id')
    .execute();
  // An owner whose roles may not see rates reads a rate finding's message without the figures.
  const byRole = new Map((await listRows(db)).map((row) => [row.role, row]));
  const seesRates = (roles: readonly string[]) => visibilityOfRoles(roles, byRole).rates;
  const groups = new Map<number, { owner: number; items: ExceptionItem[] }>();
  for (const row of rows) {
    let group = groups.get(row.owner_user_id!);
    if (!group) {
      group = { owner: row.owner_user_id!, items: [] };
      groups.set(row.owner_user_id!, group);
    }
    group.items.push({
      id: row.id,
      ruleId: row.rule_id,
      severity: row.severity,
      matterCode: row.matter_code,
      entity: row.entity_type,
      entityId: row.entity_external_id,
      message: seesRates(row.owner_roles)
        ? row.message
        : messageWithoutMoney(row.rule_kind, row.message),
    });
  }
  const window = alertWindow(now, settings.exceptionWindowMinutes);
  for (const group of groups.values())
    await enqueueNotification(db, settings, now, {
      key: `exception_alert:${window.start.toISOString()}`,
      recipients: [group.owner],
      // Walls and mutes were applied to each item above.
      matterId: null,
      dueAt: window.end,
      coalesce: true,
      payload: { kind: 'exception_alert', items: group.items },
    });
}
