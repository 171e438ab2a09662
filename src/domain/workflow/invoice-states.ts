/**
 * The invoice workflow as data: the states and every allowed move between them, with the roles
 * that may make it, the guards that must hold and the effects it has. `planTransition` reads
 * this table; the docs test reads it too, so docs/workflow.md cannot drift from it.
 */
import type { Role } from '../roles.js';
import type { GuardName } from './guards.js';

export const INVOICE_STATES = [
  'draft',
  'in_review',
  'exception',
  'waiting_on_timekeeper',
  'ready_for_approval',
  'approved',
  'submitted',
  'accepted',
  'rejected',
  'paid',
  'on_hold',
  'void',
] as const;
export type InvoiceState = (typeof INVOICE_STATES)[number];

export function isInvoiceState(text: string): text is InvoiceState {
  return (INVOICE_STATES as readonly string[]).includes(text);
}

/** Named effects; `planTransition` turns them into descriptors the service carries out. */
export const EFFECT_NAMES = [
  'assign_owner',
  'record_audit_event',
  'notify_owner',
  'notify_submission_update',
  'count_rework',
  'record_stage_change',
] as const;
export type EffectName = (typeof EFFECT_NAMES)[number];

/** What a move is called in the API, the audit trail and the docs. */
export type TransitionAction =
  | 'start_review'
  | 'send_to_timekeeper'
  | 'return_from_timekeeper'
  | 'complete_review'
  | 'approve'
  | 'request_changes'
  | 'reopen'
  | 'submit'
  | 'record_acceptance'
  | 'record_rejection'
  | 'rework_rejection'
  | 'record_payment'
  | 'raise_exception'
  | 'clear_exception'
  | 'hold'
  | 'release_hold'
  | 'void';

export interface Transition {
  readonly from: InvoiceState;
  readonly to: InvoiceState;
  readonly action: TransitionAction;
  /** Roles that may make this move at all. */
  readonly roles: readonly Role[];
  /**
   * Of `roles`, those that must also be the routed owner of the current stage: an approver
   * signs off only the invoices the routing table gives them, while any billing coordinator may
   * complete a review for a colleague.
   */
  readonly ownerOnly: readonly Role[];
  readonly guards: readonly GuardName[];
  readonly effects: readonly EffectName[];
  /** A move backwards, counted as rework. */
  readonly rework: boolean;
  readonly requiresReason: boolean;
}

/** Stages an invoice is worked in before it leaves the firm; exceptions and holds jump in from these. */
export const EXCEPTION_SOURCES = [
  'draft',
  'in_review',
  'waiting_on_timekeeper',
  'ready_for_approval',
  'approved',
] as const satisfies readonly InvoiceState[];
/** A rejected invoice may also wait (e.g. while the client is asked about the portal's reason). */
export const HOLD_SOURCES = [...EXCEPTION_SOURCES, 'rejected'] as const;
/** Once accepted by the client, an invoice is corrected by a credit note, never voided. */
export const VOID_SOURCES = [...HOLD_SOURCES, 'exception', 'on_hold'] as const;

const STEP: readonly EffectName[] = ['assign_owner', 'record_audit_event', 'record_stage_change'];
const HANDOVER: readonly EffectName[] = [...STEP, 'notify_owner'];
const REWORK: readonly EffectName[] = [...HANDOVER, 'count_rework'];
const PORTAL: readonly EffectName[] = [...STEP, 'notify_submission_update'];

const BILLING: readonly Role[] = ['billing_coordinator', 'legal_ops'];
const WORKERS: readonly Role[] = ['billing_coordinator', 'legal_ops', 'approver'];

type Options = Partial<Omit<Transition, 'from' | 'to' | 'action' | 'roles' | 'effects'>>;

function edge(
  from: InvoiceState,
  to: InvoiceState,
  action: TransitionAction,
  roles: readonly Role[],
  effects: readonly EffectName[],
  options: Options = {},
): Transition {
  return {
    from,
    to,
    action,
    roles,
    effects,
    ownerOnly: options.ownerOnly ?? [],
    guards: options.guards ?? [],
    rework: options.rework ?? false,
    requiresReason: options.requiresReason ?? false,
  };
}

/** Every allowed move. A pair that is not listed is not allowed. */
export const TRANSITIONS: readonly Transition[] = [
  edge('draft', 'in_review', 'start_review', ['billing_coordinator'], HANDOVER),
  edge(
    'in_review',
    'waiting_on_timekeeper',
    'send_to_timekeeper',
    ['billing_coordinator', 'approver'],
    HANDOVER,
    {
      ownerOnly: ['approver'],
      requiresReason: true,
    },
  ),
  edge(
    'waiting_on_timekeeper',
    'in_review',
    'return_from_timekeeper',
    ['timekeeper', 'billing_coordinator'],
    HANDOVER,
  ),
  edge(
    'in_review',
    'ready_for_approval',
    'complete_review',
    ['billing_coordinator', 'approver'],
    HANDOVER,
    {
      ownerOnly: ['approver'],
      guards: [
        'no_open_blocking_exceptions',
        'required_fields_complete',
        'contingency_outcome_recorded',
      ],
    },
  ),
  edge('ready_for_approval', 'approved', 'approve', ['approver'], HANDOVER, {
    ownerOnly: ['approver'],
    guards: ['no_open_blocking_exceptions', 'required_fields_complete', 'write_downs_approved'],
  }),
  edge('ready_for_approval', 'in_review', 'request_changes', ['approver'], REWORK, {
    ownerOnly: ['approver'],
    rework: true,
    requiresReason: true,
  }),
  edge('approved', 'in_review', 'reopen', BILLING, REWORK, { rework: true, requiresReason: true }),
  edge('approved', 'submitted', 'submit', BILLING, PORTAL, {
    guards: [
      'no_open_blocking_exceptions',
      'required_fields_complete',
      'write_downs_approved',
      'ready_for_submission',
    ],
  }),
  edge('submitted', 'accepted', 'record_acceptance', BILLING, PORTAL),
  edge('submitted', 'rejected', 'record_rejection', BILLING, PORTAL, { requiresReason: true }),
  edge('rejected', 'in_review', 'rework_rejection', BILLING, REWORK, { rework: true }),
  edge('accepted', 'paid', 'record_payment', ['legal_ops'], PORTAL),
  ...EXCEPTION_SOURCES.flatMap((stage) => [
    edge(stage, 'exception', 'raise_exception', WORKERS, HANDOVER, {
      guards: ['has_open_blocking_exception'],
    }),
    // Whoever resolves the last blocking exception (often the timekeeper) sends it back.
    edge('exception', stage, 'clear_exception', [...WORKERS, 'timekeeper'], HANDOVER, {
      guards: ['no_open_blocking_exceptions', 'returns_to_previous_stage'],
    }),
  ]),
  ...HOLD_SOURCES.flatMap((stage) => [
    edge(stage, 'on_hold', 'hold', WORKERS, HANDOVER, { requiresReason: true }),
    edge('on_hold', stage, 'release_hold', WORKERS, HANDOVER, {
      guards: ['returns_to_previous_stage'],
    }),
  ]),
  ...VOID_SOURCES.map((stage) =>
    edge(stage, 'void', 'void', BILLING, STEP, { requiresReason: true }),
  ),
];

const BY_PAIR = new Map(TRANSITIONS.map((t) => [`${t.from}>${t.to}`, t]));

/** The table's entry for a move, or undefined when the move is not allowed. */
export function findTransition(from: InvoiceState, to: InvoiceState): Transition | undefined {
  return BY_PAIR.get(`${from}>${to}`);
}

/** States with no way out. */
export const TERMINAL_STATES: readonly InvoiceState[] = INVOICE_STATES.filter(
  (state) => !TRANSITIONS.some((t) => t.from === state),
);
