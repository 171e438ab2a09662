/**
 * The notify effects of an invoice transition, written in the transition's transaction:
 * `draft_ready` to the new stage's owner, `submission_update` to the billing coordinator and
 * the responsible attorney.
 */
import type { Kysely } from 'kysely';
import type { NotificationSettings } from '../../config/notifications.js';
import type { DB } from '../../db/schema.js';
import type { Effect } from '../../domain/workflow/index.js';
import { enqueueNotification } from './enqueue.js';
import { findInvoiceNotice } from './facts.repository.js';

export interface TransitionNotice {
  invoiceId: number;
  effects: readonly Effect[];
  /** The owner of the stage the invoice entered, and the role they hold there. */
  owner: { role: string | null; userId: number | null };
  /** The invoice's version after the move: one event per version. */
  version: number;
  reason: string | null;
}

/** Queues the transition's notifications; call after the invoice row is updated. */
export async function notifyTransition(
  db: Kysely<DB>,
  settings: NotificationSettings,
  now: Date,
  notice: TransitionNotice,
): Promise<void> {
  const wanted = new Set(
    notice.effects.flatMap((effect) => (effect.kind === 'notify' ? [effect.notification] : [])),
  );
  if (wanted.size === 0) return;
  const facts = await findInvoiceNotice(db, notice.invoiceId);
  if (!facts) return;
  const { invoice, matter } = facts;
  // An invoice waits on a timekeeper because of questions; each question tells its timekeeper
  // what to answer (`timekeeper_question`), so a generic "you own this stage" would repeat it.
  if (
    wanted.has('draft_ready') &&
    notice.owner.userId !== null &&
    invoice.state !== 'waiting_on_timekeeper'
  )
    await enqueueNotification(db, settings, now, {
      key: `draft_ready:invoice:${invoice.id}:v${notice.version}`,
      recipients: [notice.owner.userId],
      matterId: matter.id,
      dueAt: now,
      payload: {
        kind: 'draft_ready',
        invoice,
        matter,
        role: notice.owner.role,
        reason: notice.reason,
      },
    });
  if (wanted.has('submission_update'))
    await enqueueNotification(db, settings, now, {
      key: `submission_update:invoice:${invoice.id}:v${notice.version}`,
      recipients: [facts.coordinatorUserId, facts.attorneyUserId],
      matterId: matter.id,
      dueAt: now,
      payload: {
        kind: 'submission_update',
        invoice,
        matter,
        outcome: invoice.state,
        reason: notice.reason,
      },
    });
}
