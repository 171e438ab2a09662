/**
 * `deadline_escalation`: an invoice that has sat in a stage past the stage's SLA (business days
 * on the firm's calendar, `firm_holiday` and MATTERFLOW_HOLIDAYS, or hours) escalates once per stage visit to the next role in its
 * routing chain, and is marked urgent, with an audit event. The breach row (invoice, time the
 * stage was entered) is the record and the lock: two schedulers escalate it once.
 */
import type { Kysely } from 'kysely';
import type { NotificationSettings } from '../../config/notifications.js';
import type { DB } from '../../db/schema.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import {
  businessDeadline,
  type InvoiceState,
  type StageSlas,
} from '../../domain/workflow/index.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { businessCalendarOf } from '../calendar/calendar.service.js';
import { resolveStageOwners, type StageOwners } from '../routing/resolve-stage-owners.js';
import { stageSlasOf } from '../stage-slas/stage-slas.service.js';
import { enqueueNotification } from './enqueue.js';
import { findInvoiceNotice } from './facts.repository.js';

/**
 * The deadline of an invoice's current stage visit under the firm's stage SLAs (read once per
 * run with `stageSlasOf`), or null when the stage has no SLA.
 */
export function stageDeadline(
  state: string,
  enteredAt: Date,
  settings: NotificationSettings,
  slas: StageSlas,
): Date | null {
  const sla = slas[state as InvoiceState] ?? null;
  if (sla === null) return null;
  return new Date(businessDeadline(enteredAt.toISOString(), sla, settings.calendar));
}

/**
 * Who hears of a breach: the next role in the chain. Review stages go to the first approver;
 * an approval level to the next level; the last level, and the stages after sign-off, to the
 * matter's billing partner; entries sent back to timekeepers to the reviewer.
 */
function escalationTarget(
  state: string,
  previousState: string | null,
  level: number,
  routed: StageOwners,
  partnerUserId: number | null,
): number | null {
  const stage = state === 'on_hold' || state === 'exception' ? (previousState ?? state) : state;
  switch (stage) {
    case 'draft':
    case 'in_review':
    case 'exception':
      return routed.approvers[0]?.userId ?? partnerUserId;
    case 'waiting_on_timekeeper':
      return routed.reviewer.userId;
    case 'ready_for_approval':
      return routed.approvers[level]?.userId ?? partnerUserId;
    default:
      return partnerUserId;
  }
}

/** Escalates every invoice now past its stage deadline and not yet escalated; returns how many. */
export async function escalateOverdueInvoices(
  db: Kysely<DB>,
  firmSettings: NotificationSettings,
  now: Date,
): Promise<number> {
  // Business days skip the firm's holidays as stored now (and those of MATTERFLOW_HOLIDAYS).
  const settings = { ...firmSettings, calendar: await businessCalendarOf(db, firmSettings) };
  // The SLAs as the firm has set them now.
  const slas = await stageSlasOf(db);
  const candidates = await db
    .selectFrom('invoice as i')
    .select(['i.id', 'i.state', 'i.stage_entered_at'])
    .where('i.state', 'not in', ['paid', 'void'])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('invoice_sla_breach as b')
            .select('b.invoice_id')
            .whereRef('b.invoice_id', '=', 'i.id')
            .whereRef('b.stage_entered_at', '=', 'i.stage_entered_at'),
        ),
      ),
    )
    .execute();
  let escalated = 0;
  for (const candidate of candidates) {
    const deadline = stageDeadline(candidate.state, candidate.stage_entered_at, settings, slas);
    if (deadline === null || now.getTime() <= deadline.getTime()) continue;
    if (await escalate(db, settings, now, candidate.id, candidate.stage_entered_at, deadline))
      escalated++;
  }
  return escalated;
}

async function escalate(
  db: Kysely<DB>,
  settings: NotificationSettings,
  now: Date,
  invoiceId: number,
  enteredAt: Date,
  deadline: Date,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const invoice = await trx
      .selectFrom('invoice as i')
      .leftJoin('app_user as owner', 'owner.id', 'i.owner_user_id')
      .select([
        'i.id',
        'i.state',
        'i.previous_state',
        'i.approval_level',
        'i.matter_id',
        'i.total_cents',
        'i.stage_entered_at',
        'owner.name as owner_name',
      ])
      .where('i.id', '=', invoiceId)
      .forUpdate('i')
      .executeTakeFirst();
    // Moved on since the candidates were read: the new stage has its own clock.
    if (!invoice || invoice.stage_entered_at.getTime() !== enteredAt.getTime()) return false;
    const facts = await findInvoiceNotice(trx, invoiceId);
    if (!facts) return false;
    const routed = await resolveStageOwners(trx, invoice.matter_id, Number(invoice.total_cents));
    const target = escalationTarget(
      invoice.state,
      invoice.previous_state,
      invoice.approval_level,
      routed,
      facts.partnerUserId,
    );
    const breach = await trx
      .insertInto('invoice_sla_breach')
      .values({
        invoice_id: invoiceId,
        stage_entered_at: enteredAt,
        state: invoice.state,
        approval_level: invoice.approval_level,
        deadline,
        escalated_to_user_id: target,
        escalated_at: now,
      })
      .onConflict((oc) => oc.columns(['invoice_id', 'stage_entered_at']).doNothing())
      .returning('invoice_id')
      .executeTakeFirst();
    if (!breach) return false;
    // A flag for lists and dashboards, set by the system: no version bump, so nobody's edit in
    // progress turns stale because a deadline passed.
    await trx.updateTable('invoice').set({ urgent: true }).where('id', '=', invoiceId).execute();
    await appendAuditEvent(
      trx,
      SYSTEM_ACTOR,
      {
        action: 'invoice.escalate',
        entityType: 'invoice',
        entityId: invoiceId,
        before: { urgent: false },
        after: {
          urgent: true,
          state: invoice.state,
          approval_level: invoice.approval_level,
          deadline: deadline.toISOString(),
          escalated_to_user_id: target,
        },
        reason: `past the ${invoice.state} SLA`,
      },
      now,
    );
    await enqueueNotification(trx, settings, now, {
      key: `deadline_escalation:invoice:${invoiceId}:${enteredAt.toISOString()}`,
      recipients: [target],
      matterId: invoice.matter_id,
      dueAt: now,
      payload: {
        kind: 'deadline_escalation',
        invoice: facts.invoice,
        matter: facts.matter,
        stage: invoice.state,
        enteredAt: enteredAt.toISOString(),
        deadline: deadline.toISOString(),
        ownerName: invoice.owner_name,
      },
    });
    return true;
  });
}
