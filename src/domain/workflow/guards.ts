/**
 * Guards: named predicates over what the service knows about an invoice when a move is asked
 * for. Each failure carries a stable code and a message that says what to do next.
 */
import type { Cents } from '../money.js';
import type { FeeArrangement } from '../roles.js';
import type { InvoiceState } from './invoice-states.js';

/** What the service loads about an invoice before planning a move. */
export interface InvoiceFacts {
  readonly openBlockingExceptions: number;
  /** Names of required fields still empty (e.g. `client_matter_id`, `period_end`). */
  readonly missingRequiredFields: readonly string[];
  /** Write-downs above the approval threshold still awaiting sign-off. */
  readonly pendingWriteDowns: number;
  /** Problems found by the e-billing readiness checks (format, arithmetic, codes, master data). */
  readonly readinessProblems: number;
  /** The readiness problem codes behind that count (e.g. `TASK_CODE_MISSING`), for the message. */
  readonly readinessCodes?: readonly string[];
  readonly feeArrangement: FeeArrangement;
  /** The recovery a contingency fee is computed from; null until it is recorded. */
  readonly outcomeAmountCents: Cents | null;
}

/** The move being checked, as far as guards need it. */
export interface GuardContext {
  readonly to: InvoiceState;
  readonly previousState: InvoiceState | null;
  /** True when this sign-off is the chain's last (write-downs need approval by then). */
  readonly finalApproval: boolean;
  /** Words for messages: "before approval", "before submission". */
  readonly purpose: string;
}

export interface GuardFailure {
  readonly code: GuardFailureCode;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export type GuardFailureCode =
  | 'OPEN_BLOCKING_EXCEPTIONS'
  | 'NO_OPEN_BLOCKING_EXCEPTION'
  | 'REQUIRED_FIELDS_MISSING'
  | 'WRITE_DOWNS_PENDING'
  | 'NOT_READY_FOR_SUBMISSION'
  | 'CONTINGENCY_OUTCOME_MISSING'
  | 'NOT_PREVIOUS_STAGE';

type Guard = (facts: InvoiceFacts, context: GuardContext) => GuardFailure | null;

const plural = (count: number, one: string, many: string): string =>
  `${count} ${count === 1 ? one : many}`;

/** The guards, by name; the transition table refers to them by these names. */
export const GUARDS = {
  no_open_blocking_exceptions: (facts, { purpose }) =>
    facts.openBlockingExceptions === 0
      ? null
      : {
          code: 'OPEN_BLOCKING_EXCEPTIONS',
          message: `${plural(facts.openBlockingExceptions, 'blocking exception is', 'blocking exceptions are')} open: resolve or waive ${facts.openBlockingExceptions === 1 ? 'it' : 'them'} before ${purpose}`,
          details: { openBlockingExceptions: facts.openBlockingExceptions },
        },
  has_open_blocking_exception: (facts) =>
    facts.openBlockingExceptions > 0
      ? null
      : {
          code: 'NO_OPEN_BLOCKING_EXCEPTION',
          message: 'an invoice moves to exception only while a blocking exception is open',
          details: { openBlockingExceptions: 0 },
        },
  required_fields_complete: (facts, { purpose }) =>
    facts.missingRequiredFields.length === 0
      ? null
      : {
          code: 'REQUIRED_FIELDS_MISSING',
          message: `required fields are empty (${facts.missingRequiredFields.join(', ')}): fill them in before ${purpose}`,
          details: { missingRequiredFields: facts.missingRequiredFields },
        },
  // Earlier approvers may leave a write-down for a later level to sign off; the last may not.
  write_downs_approved: (facts, { purpose, finalApproval }) =>
    facts.pendingWriteDowns === 0 || !finalApproval
      ? null
      : {
          code: 'WRITE_DOWNS_PENDING',
          message: `${plural(facts.pendingWriteDowns, 'write-down awaits', 'write-downs await')} approval: approve or withdraw ${facts.pendingWriteDowns === 1 ? 'it' : 'them'} before ${purpose}`,
          details: { pendingWriteDowns: facts.pendingWriteDowns },
        },
  ready_for_submission: (facts) =>
    facts.readinessProblems === 0
      ? null
      : {
          code: 'NOT_READY_FOR_SUBMISSION',
          message: `the e-billing readiness checks found ${plural(facts.readinessProblems, 'problem', 'problems')}${facts.readinessCodes?.length ? ` (${facts.readinessCodes.join(', ')})` : ''}: fix ${facts.readinessProblems === 1 ? 'it' : 'them'} before submission`,
          details: {
            readinessProblems: facts.readinessProblems,
            readinessCodes: facts.readinessCodes ?? [],
          },
        },
  contingency_outcome_recorded: (facts, { purpose }) =>
    facts.feeArrangement !== 'contingency' || facts.outcomeAmountCents !== null
      ? null
      : {
          code: 'CONTINGENCY_OUTCOME_MISSING',
          message: `the fee is contingent on the outcome: record the outcome amount before ${purpose}`,
          details: { feeArrangement: facts.feeArrangement },
        },
  // Exceptions and holds are detours: the invoice goes back exactly where it left off.
  returns_to_previous_stage: (_facts, { to, previousState }) =>
    to === previousState
      ? null
      : {
          code: 'NOT_PREVIOUS_STAGE',
          message: `the invoice came from ${previousState ?? 'an unknown stage'} and can only return there, not to ${to}`,
          details: { previousState, to },
        },
} as const satisfies Record<string, Guard>;

export type GuardName = keyof typeof GUARDS;
export const GUARD_NAMES = Object.keys(GUARDS) as GuardName[];
