/**
 * The pre-bill packet as data for a review screen: the packet itself (under the caller's
 * field-level rules), each pending write-down with who must decide it and whether the caller
 * may, and which pre-bill moves the caller may make on the invoice as it stands.
 */
import type { AppContext } from '../../config/context.js';
import { notFound } from '../../domain/errors.js';
import { isAllowed, type Actor } from '../../domain/policy.js';
import { TRANSITIONS } from '../../domain/workflow/index.js';
import { EXPORTABLE_STATES } from '../ebilling/export-ledes.js';
import * as repo from '../invoices/invoices.repository.js';
import { decidersOf, mayDecide } from './decide-adjustment.js';
import { loadPrebill, type Prebill } from './prebill-packet.js';
import { EDITABLE_STAGES } from './prebill-edit.js';

export interface PrebillReview {
  packet: Prebill;
  pending: {
    adjustment_id: number;
    deciders: string;
    may_decide: boolean;
  }[];
  /** What the caller may do on this invoice now; the server still checks each request. */
  may: { edit_lines: boolean; ask_questions: boolean; export_ledes: boolean };
}

/** Whether the actor's roles may edit lines of an invoice in this state (see EDITABLE_STAGES). */
function mayEditLines(actor: Actor, state: string, previousState: string | null): boolean {
  if (!isAllowed(actor, 'update', 'invoice')) return false;
  if (state === 'exception' && previousState !== 'draft' && previousState !== 'in_review')
    return false;
  const roles = EDITABLE_STAGES[state];
  return roles !== undefined && actor.roles.some((role) => roles.includes(role));
}

/** Asking moves the invoice to waiting_on_timekeeper (or joins the wait): the workflow decides. */
function mayAsk(
  actor: Actor,
  invoice: { state: string; owner_user_id: number | string | null },
): boolean {
  if (!isAllowed(actor, 'create', 'invoice_question')) return false;
  if (invoice.state === 'waiting_on_timekeeper') return true;
  const isOwner = actor.via !== 'system' && Number(invoice.owner_user_id) === Number(actor.userId);
  return TRANSITIONS.some(
    (t) =>
      t.from === invoice.state &&
      t.to === 'waiting_on_timekeeper' &&
      t.roles.some(
        (role) => actor.roles.includes(role) && (!t.ownerOnly.includes(role) || isOwner),
      ),
  );
}

export async function loadPrebillReview(
  app: AppContext,
  actor: Actor,
  id: number,
): Promise<PrebillReview> {
  const invoice = await repo.findVisibleInvoice(app.db, actor, { id });
  if (!invoice) throw notFound('INVOICE_NOT_FOUND', `No invoice ${id}.`);
  const packet = await loadPrebill(app, actor, { id });
  const pendingRows = await app.db
    .selectFrom('invoice_adjustment')
    .select(['id', 'requested_by'])
    .where('invoice_id', '=', id)
    .where('state', '=', 'pending')
    .orderBy('id')
    .execute();
  const pending: PrebillReview['pending'] = [];
  for (const row of pendingRows) {
    const requester = row.requested_by === null ? null : Number(row.requested_by);
    const deciders = await decidersOf(app.db, invoice, requester);
    pending.push({
      adjustment_id: Number(row.id),
      deciders: deciders.words,
      may_decide: isAllowed(actor, 'update', 'invoice') && mayDecide(actor, deciders, requester),
    });
  }
  return {
    packet,
    pending,
    may: {
      edit_lines: mayEditLines(actor, invoice.state, invoice.previous_state),
      ask_questions: mayAsk(actor, invoice),
      export_ledes:
        isAllowed(actor, 'export', 'ebilling') && EXPORTABLE_STATES.includes(invoice.state),
    },
  };
}
