/**
 * `manager_digest`: daily or weekly, at the firm's digest hour, legal ops and billing partners
 * get counts by stage, aging, the invoices past their SLA and the most frequent open
 * exceptions, each computed over the matters that recipient may see.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { NotificationSettings } from '../../config/notifications.js';
import type { DB } from '../../db/schema.js';
import { isoWeek, latestOccurrence } from '../../domain/notifications/firm-time.js';
import type { DigestInvoice, ManagerDigestPayload } from '../../domain/notifications/kinds.js';
import type { StageSlas } from '../../domain/workflow/sla.js';
import { enqueueNotification } from './enqueue.js';
import { businessCalendarOf } from '../calendar/calendar.service.js';
import { stageSlasOf } from '../stage-slas/stage-slas.service.js';
import { stageDeadline } from './schedule-escalations.js';

const LISTED = 20;
const DAY_MS = 86_400_000;

function agingBucket(days: number): string {
  if (days <= 2) return '0-2';
  if (days <= 7) return '3-7';
  if (days <= 30) return '8-30';
  return '31+';
}

/** Queues the digest of the current period to each manager who has not had it; returns how many. */
export async function queueManagerDigests(
  db: Kysely<DB>,
  firmSettings: NotificationSettings,
  now: Date,
): Promise<number> {
  // Past-SLA counts use the firm calendar as stored now.
  const settings = { ...firmSettings, calendar: await businessCalendarOf(db, firmSettings) };
  const slas = await stageSlasOf(db);
  const weekly = settings.digestFrequency === 'weekly';
  const occurrence = latestOccurrence(
    now,
    settings.timeZone,
    weekly ? settings.digestDay : null,
    settings.digestHour,
  );
  // A digest is news for a day: a scheduler back after that skips to the next one.
  if (now.getTime() - occurrence.at.getTime() > DAY_MS) return 0;
  const period = weekly ? isoWeek(occurrence.date) : occurrence.date;
  const key = `manager_digest:${period}`;
  const managers = await db
    .selectFrom('app_user as u')
    .select('u.id')
    .where('u.active', '=', true)
    .where((eb) =>
      eb.or([
        sql<boolean>`'legal_ops' = any(u.roles)`,
        eb.exists(
          eb
            .selectFrom('matter as m')
            .select('m.id')
            .whereRef('m.billing_partner_id', '=', 'u.timekeeper_id')
            .where('m.status', '=', 'open'),
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
  for (const manager of managers) {
    const payload = await digestFor(db, settings, slas, now, manager.id, period);
    queued += await enqueueNotification(db, settings, now, {
      key,
      recipients: [manager.id],
      matterId: null,
      dueAt: now,
      payload,
    });
  }
  return queued;
}

/** The digest as one manager may see it: walled matters only when they are inside the wall. */
async function digestFor(
  db: Kysely<DB>,
  settings: NotificationSettings,
  slas: StageSlas,
  now: Date,
  userId: number,
  period: string,
): Promise<ManagerDigestPayload> {
  const visible = sql<boolean>`(not m.restricted or exists (
    select 1 from matter_member mm where mm.matter_id = m.id and mm.user_id = ${userId}))`;
  const [invoices, exceptions] = await Promise.all([
    db
      .selectFrom('invoice as i')
      .innerJoin('matter as m', 'm.id', 'i.matter_id')
      .select(['i.id', 'i.invoice_number', 'i.state', 'i.stage_entered_at', 'm.matter_code'])
      .where('i.state', 'not in', ['paid', 'void'])
      .where(visible)
      .orderBy('i.stage_entered_at')
      .orderBy('i.id')
      .execute(),
    db
      .selectFrom('guideline_exception as e')
      .innerJoin('matter as m', 'm.id', 'e.matter_id')
      .select(['e.rule_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('e.state', '=', 'open')
      .where(visible)
      .groupBy('e.rule_id')
      .orderBy('n', 'desc')
      .orderBy('e.rule_id')
      .limit(5)
      .execute(),
  ]);
  const byStage: Record<string, number> = {};
  const aging: Record<string, number> = { '0-2': 0, '3-7': 0, '8-30': 0, '31+': 0 };
  const pastSla: DigestInvoice[] = [];
  for (const invoice of invoices) {
    byStage[invoice.state] = (byStage[invoice.state] ?? 0) + 1;
    const days = Math.floor((now.getTime() - invoice.stage_entered_at.getTime()) / DAY_MS);
    const bucket = agingBucket(Math.max(0, days));
    aging[bucket] = (aging[bucket] ?? 0) + 1;
    const deadline = stageDeadline(invoice.state, invoice.stage_entered_at, settings, slas);
    if (deadline !== null && deadline.getTime() < now.getTime())
      pastSla.push({
        id: invoice.id,
        number: invoice.invoice_number,
        matterCode: invoice.matter_code,
        state: invoice.state,
        deadline: deadline.toISOString(),
      });
  }
  return {
    kind: 'manager_digest',
    period,
    byStage,
    aging,
    pastSla: pastSla.slice(0, LISTED),
    pastSlaCount: pastSla.length,
    topExceptions: exceptions.map((e) => ({ ruleId: e.rule_id, count: Number(e.n) })),
  };
}
