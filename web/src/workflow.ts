/**
 * The invoice workflow as the server defines it: the web app reads the same pure tables from
 * `src/domain/workflow`, so the moves it offers and the SLAs it shows cannot drift from the API.
 */
import {
  INVOICE_STATES,
  TRANSITIONS,
  type InvoiceState,
  type Transition,
} from '../../src/domain/workflow/invoice-states';
import { businessDeadline } from '../../src/domain/workflow/sla';
import type { Me } from './session';
import { firmSlaOf } from './stage-slas';

export { INVOICE_STATES, type InvoiceState };

/** What the workflow needs to know about an invoice to list its moves. */
export interface InvoiceAtStage {
  state: string;
  previous_state: string | null;
  owner_user_id: number | null;
}

/**
 * The moves the user may make on an invoice: a role that allows the move, and for roles that
 * must be the routed owner (an approver signs off only what is routed to them), being the owner.
 * Moves that return to the previous stage (clear an exception, release a hold) go only there.
 * The server checks the guards and decides.
 */
export function movesFor(me: Me, invoice: InvoiceAtStage): Transition[] {
  const isOwner = invoice.owner_user_id === me.user_id;
  return TRANSITIONS.filter(
    (t) =>
      t.from === invoice.state &&
      t.roles.some((role) => me.roles.includes(role) && (!t.ownerOnly.includes(role) || isOwner)) &&
      (!t.guards.includes('returns_to_previous_stage') || t.to === invoice.previous_state),
  );
}

export type SlaState = 'overdue' | 'due_soon' | 'on_time' | 'none';

/**
 * Whether an invoice that entered its stage at `enteredAt` is past its stage's SLA: the firm's
 * SLAs and holidays once loaded (`useFirmSlas`), Matterflow's defaults until then.
 */
export function slaState(state: string, enteredAt: string, now = Date.now()): SlaState {
  const { sla, calendar } = firmSlaOf(state as InvoiceState);
  if (!sla) return 'none';
  const deadline = Date.parse(businessDeadline(enteredAt, sla, calendar));
  if (now > deadline) return 'overdue';
  return deadline - now < 8 * 3_600_000 ? 'due_soon' : 'on_time';
}

/** "Overdue", "Due soon", "On time" or "—". */
export const SLA_WORDS: Record<SlaState, string> = {
  overdue: 'Overdue',
  due_soon: 'Due soon',
  on_time: 'On time',
  none: '—',
};
