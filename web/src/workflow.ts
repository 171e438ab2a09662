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
import { businessDeadline, DEFAULT_STAGE_SLAS } from '../../src/domain/workflow/sla';
import type { Me } from './session';

export { INVOICE_STATES, type InvoiceState };

/** The moves the user's roles allow from a state (the server still checks routed ownership). */
export function movesFor(me: Me, state: string): Transition[] {
  return TRANSITIONS.filter(
    (t) => t.from === state && t.roles.some((role) => me.roles.includes(role)),
  );
}

export type SlaState = 'overdue' | 'due_soon' | 'on_time' | 'none';

/** Whether an invoice that entered its stage at `enteredAt` is past its stage's default SLA. */
export function slaState(state: string, enteredAt: string, now = Date.now()): SlaState {
  const sla = DEFAULT_STAGE_SLAS[state as InvoiceState];
  if (!sla) return 'none';
  const deadline = Date.parse(businessDeadline(enteredAt, sla, { holidays: [] }));
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
