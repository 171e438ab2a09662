/**
 * Planning one move of an invoice: checks the table, the actor, the reason and the guards, and
 * returns the next state with the effects to carry out, or why the move is refused. Pure: the
 * service loads the invoice and its facts, calls this, then writes the change, the audit event
 * and the outbox rows in one transaction.
 */
import { AppError, type ErrorKind } from '../errors.js';
import type { Role } from '../roles.js';
import { GUARDS, type GuardFailureCode, type InvoiceFacts } from './guards.js';
import {
  EXCEPTION_SOURCES,
  findTransition,
  HOLD_SOURCES,
  type InvoiceState,
  type Transition,
  type TransitionAction,
} from './invoice-states.js';

/** The invoice as far as the workflow needs it. */
export interface WorkflowInvoice {
  readonly state: InvoiceState;
  /** Where an invoice in exception or on_hold came from (null elsewhere). */
  readonly previousState: InvoiceState | null;
  /** In ready_for_approval, the level whose sign-off is awaited (1-based); 0 before review ends. */
  readonly approvalLevel: number;
  /** Levels in the routed approver chain (at least 1). */
  readonly chainLength: number;
}

export interface WorkflowActor {
  readonly roles: readonly Role[];
  /** True when the routing table and the matter make this actor the owner of the current stage. */
  readonly isStageOwner: boolean;
}

export type Effect =
  | { readonly kind: 'assign_owner'; readonly stage: InvoiceState; readonly approvalLevel: number }
  | {
      readonly kind: 'record_audit_event';
      readonly action: TransitionAction;
      readonly from: InvoiceState;
      readonly to: InvoiceState;
      readonly approvalLevel: number;
      readonly reason: string | null;
    }
  | {
      readonly kind: 'notify';
      readonly notification: 'draft_ready';
      readonly recipients: 'stage_owner';
    }
  | {
      readonly kind: 'notify';
      readonly notification: 'submission_update';
      readonly recipients: readonly ['billing_coordinator', 'responsible_attorney'];
    }
  | { readonly kind: 'count_rework'; readonly from: InvoiceState }
  | {
      readonly kind: 'record_stage_change';
      readonly exited: InvoiceState;
      readonly entered: InvoiceState;
      readonly approvalLevel: number;
    };

export type TransitionFailureCode =
  | 'TRANSITION_NOT_ALLOWED'
  | 'ROLE_NOT_ALLOWED'
  | 'NOT_STAGE_OWNER'
  | 'REASON_REQUIRED'
  | 'INVALID_APPROVAL_CHAIN'
  | GuardFailureCode;

export type TransitionPlan =
  | {
      readonly ok: true;
      readonly action: TransitionAction;
      readonly nextState: InvoiceState;
      readonly previousState: InvoiceState | null;
      readonly approvalLevel: number;
      readonly effects: readonly Effect[];
      readonly rework: boolean;
    }
  | {
      readonly ok: false;
      readonly code: TransitionFailureCode;
      readonly message: string;
      readonly details: Readonly<Record<string, unknown>>;
    };

const PURPOSE: Record<TransitionAction, string> = {
  start_review: 'review',
  send_to_timekeeper: 'sending it to the timekeeper',
  return_from_timekeeper: 'returning it to review',
  complete_review: 'approval',
  approve: 'approval',
  request_changes: 'sending it back',
  reopen: 'reopening',
  submit: 'submission',
  record_acceptance: 'recording acceptance',
  record_rejection: 'recording the rejection',
  rework_rejection: 'rework',
  record_payment: 'recording payment',
  raise_exception: 'moving it to exception',
  clear_exception: 'returning it',
  hold: 'holding it',
  release_hold: 'releasing it',
  void: 'voiding it',
};

const refuse = (
  code: TransitionFailureCode,
  message: string,
  details: Record<string, unknown> = {},
): TransitionPlan => ({ ok: false, code, message, details });

/** Plans moving `invoice` to `to` for `actor`; every refusal says why in plain words. */
export function planTransition(
  invoice: WorkflowInvoice,
  to: InvoiceState,
  actor: WorkflowActor,
  facts: InvoiceFacts,
  reason?: string,
): TransitionPlan {
  const { state: from } = invoice;
  const transition = findTransition(from, to);
  if (transition === undefined)
    return refuse('TRANSITION_NOT_ALLOWED', `an invoice cannot move from ${from} to ${to}`, {
      from,
      to,
    });
  // Only the moves into and through approval need the chain; an unrouted draft can still be voided.
  const needsChain = transition.action === 'complete_review' || transition.action === 'approve';
  if (needsChain && (!Number.isInteger(invoice.chainLength) || invoice.chainLength < 1))
    return refuse('INVALID_APPROVAL_CHAIN', 'the invoice has no approver chain; route it first', {
      chainLength: invoice.chainLength,
    });
  const held = actor.roles.filter((role) => transition.roles.includes(role));
  if (held.length === 0)
    return refuse(
      'ROLE_NOT_ALLOWED',
      `only ${transition.roles.join(', ')} may ${transition.action.replace(/_/g, ' ')}`,
      { allowedRoles: transition.roles },
    );
  // A role outside `ownerOnly` acts for anyone; otherwise the actor must own the stage.
  if (!actor.isStageOwner && held.every((role) => transition.ownerOnly.includes(role)))
    return refuse(
      'NOT_STAGE_OWNER',
      `only the routed owner of ${from} may ${transition.action.replace(/_/g, ' ')}; ask for the invoice to be reassigned if that should be you`,
      { stage: from, approvalLevel: invoice.approvalLevel },
    );
  const trimmedReason = reason?.trim() ?? '';
  if (transition.requiresReason && trimmedReason === '')
    return refuse('REASON_REQUIRED', `give a reason for ${PURPOSE[transition.action]}`);

  const finalApproval =
    transition.action === 'approve' && invoice.approvalLevel >= invoice.chainLength;
  const context = {
    to,
    previousState: invoice.previousState,
    finalApproval: finalApproval || transition.action === 'submit',
    purpose: PURPOSE[transition.action],
  };
  for (const name of transition.guards) {
    const failure = GUARDS[name](facts, context);
    if (failure !== null)
      return refuse(failure.code, failure.message, { guard: name, ...failure.details });
  }

  const next = nextPosition(invoice, transition);
  return {
    ok: true,
    action: transition.action,
    ...next,
    rework: transition.rework,
    effects: effectsOf(transition, from, next.nextState, next.approvalLevel, trimmedReason),
  };
}

function nextPosition(
  invoice: WorkflowInvoice,
  transition: Transition,
): { nextState: InvoiceState; previousState: InvoiceState | null; approvalLevel: number } {
  const { state, approvalLevel, chainLength, previousState } = invoice;
  const { action } = transition;
  if (action === 'complete_review')
    return { nextState: 'ready_for_approval', previousState: null, approvalLevel: 1 };
  if (action === 'approve')
    // Each level signs off in turn; only the last level's sign-off approves the invoice.
    return approvalLevel < chainLength
      ? { nextState: 'ready_for_approval', previousState, approvalLevel: approvalLevel + 1 }
      : { nextState: 'approved', previousState: null, approvalLevel: chainLength };
  if (action === 'raise_exception' || action === 'hold')
    return { nextState: transition.to, previousState: state, approvalLevel };
  if (action === 'clear_exception' || action === 'release_hold')
    return { nextState: transition.to, previousState: null, approvalLevel };
  // Rework starts the approver chain again: an edited invoice needs every sign-off afresh.
  return {
    nextState: transition.to,
    previousState,
    approvalLevel: transition.rework ? 0 : approvalLevel,
  };
}

function effectsOf(
  transition: Transition,
  from: InvoiceState,
  to: InvoiceState,
  approvalLevel: number,
  reason: string,
): Effect[] {
  return transition.effects.map((name): Effect => {
    switch (name) {
      case 'assign_owner':
        return { kind: 'assign_owner', stage: to, approvalLevel };
      case 'record_audit_event':
        return {
          kind: 'record_audit_event',
          action: transition.action,
          from,
          to,
          approvalLevel,
          reason: reason === '' ? null : reason,
        };
      case 'notify_owner':
        return { kind: 'notify', notification: 'draft_ready', recipients: 'stage_owner' };
      case 'notify_submission_update':
        return {
          kind: 'notify',
          notification: 'submission_update',
          recipients: ['billing_coordinator', 'responsible_attorney'],
        };
      case 'count_rework':
        return { kind: 'count_rework', from };
      case 'record_stage_change':
        return { kind: 'record_stage_change', exited: from, entered: to, approvalLevel };
    }
  });
}

/** Where an invoice goes when a blocking exception opens: exception, remembering the stage it left. */
export function enterException(
  state: InvoiceState,
): { nextState: 'exception'; previousState: InvoiceState } | null {
  return (EXCEPTION_SOURCES as readonly InvoiceState[]).includes(state)
    ? { nextState: 'exception', previousState: state }
    : null;
}

/** Where an invoice goes when its last blocking exception is resolved or waived: back where it came from. */
export function leaveException(previousState: InvoiceState | null): InvoiceState {
  if (
    previousState === null ||
    !(EXCEPTION_SOURCES as readonly InvoiceState[]).includes(previousState)
  )
    throw new RangeError(`an invoice in exception cannot return to ${previousState ?? 'nowhere'}`);
  return previousState;
}

/** Where an invoice goes when released from hold: back where it came from. */
export function leaveHold(previousState: InvoiceState | null): InvoiceState {
  if (previousState === null || !(HOLD_SOURCES as readonly InvoiceState[]).includes(previousState))
    throw new RangeError(`an invoice on hold cannot return to ${previousState ?? 'nowhere'}`);
  return previousState;
}

const KIND_OF: Partial<Record<TransitionFailureCode, ErrorKind>> = {
  ROLE_NOT_ALLOWED: 'forbidden',
  NOT_STAGE_OWNER: 'forbidden',
  REASON_REQUIRED: 'validation',
};

/** The AppError a service throws for a refused move: a 409 unless the actor or the input is at fault. */
export function transitionError(plan: Extract<TransitionPlan, { ok: false }>): AppError {
  return new AppError(KIND_OF[plan.code] ?? 'conflict', plan.code, plan.message, plan.details);
}
