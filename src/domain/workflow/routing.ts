/**
 * Routing: who reviews an invoice and who approves it, decided by the matter's attributes and
 * the invoice amount through a table legal ops maintain, never by who happens to be available.
 * Rules are tried in document order and the first match wins; the default applies when none
 * matches. Amount bands include both ends: `min_amount` ≤ amount ≤ `max_amount`.
 */
import type { Cents } from '../money.js';
import type { FeeArrangement, Role } from '../roles.js';
import type { InvoiceState } from './invoice-states.js';

/** Who a stage goes to: a role on the matter (resolved from the matter), or one named user. */
export type RoleRef =
  | 'billing_coordinator'
  | 'responsible_attorney'
  | 'billing_partner'
  | 'legal_ops'
  | `user:${string}`;
export const MATTER_ROLE_REFS = [
  'billing_coordinator',
  'responsible_attorney',
  'billing_partner',
  'legal_ops',
] as const;
const USER_REF = /^user:[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isRoleRef(text: string): text is RoleRef {
  return (MATTER_ROLE_REFS as readonly string[]).includes(text) || USER_REF.test(text);
}

/** Conditions of one rule; an absent condition matches anything. Lists match any of their values. */
export interface RouteMatch {
  readonly practiceArea?: readonly string[];
  readonly client?: readonly string[];
  readonly office?: readonly string[];
  readonly jurisdiction?: readonly string[];
  readonly feeArrangement?: readonly FeeArrangement[];
  readonly minAmountCents?: Cents;
  readonly maxAmountCents?: Cents;
}

export interface Route {
  readonly reviewer: RoleRef;
  /** Level 1 first; each level signs off in turn. */
  readonly approvers: readonly RoleRef[];
}

export interface RoutingRule extends Route {
  readonly id: string;
  readonly match: RouteMatch;
}

export interface RoutingTable {
  readonly id: string;
  readonly name: string;
  readonly rules: readonly RoutingRule[];
  readonly default: Route;
}

/** What routing looks at: the matter's attributes and the invoice total. */
export interface RoutingInput {
  readonly practiceArea: string | null;
  readonly clientCode: string;
  readonly office: string | null;
  readonly jurisdiction: string | null;
  readonly feeArrangement: FeeArrangement;
  readonly amountCents: Cents;
}

/** The route chosen, with the rule that chose it (null when the default applied). */
export interface RoutingDecision extends Route {
  readonly ruleId: string | null;
}

/** Routes an invoice: the first rule whose every condition holds, else the table's default. */
export function routeInvoice(table: RoutingTable, input: RoutingInput): RoutingDecision {
  const rule = table.rules.find((r) => matches(r.match, input));
  const route = rule ?? table.default;
  return { ruleId: rule?.id ?? null, reviewer: route.reviewer, approvers: route.approvers };
}

function matches(match: RouteMatch, input: RoutingInput): boolean {
  const oneOf = (allowed: readonly string[] | undefined, value: string | null) =>
    allowed === undefined || (value !== null && allowed.includes(value));
  return (
    oneOf(match.practiceArea, input.practiceArea) &&
    oneOf(match.client, input.clientCode) &&
    oneOf(match.office, input.office) &&
    oneOf(match.jurisdiction, input.jurisdiction) &&
    oneOf(match.feeArrangement, input.feeArrangement) &&
    (match.minAmountCents === undefined || input.amountCents >= match.minAmountCents) &&
    (match.maxAmountCents === undefined || input.amountCents <= match.maxAmountCents)
  );
}

/**
 * Who owns a stage. `timekeeper` means the timekeepers whose entries were sent back;
 * `exception_owner` the user each open exception's rule names; null means nobody (done).
 */
export type StageOwner = RoleRef | 'timekeeper' | 'exception_owner' | null;

/** The owner of the stage an invoice is in, from its route (the table) and the default ownership by stage. */
export function stageOwner(
  invoice: {
    readonly state: InvoiceState;
    readonly previousState: InvoiceState | null;
    readonly approvalLevel: number;
  },
  route: Route,
): StageOwner {
  switch (invoice.state) {
    case 'draft':
      return 'billing_coordinator';
    case 'in_review':
      return route.reviewer;
    case 'waiting_on_timekeeper':
      return 'timekeeper';
    case 'ready_for_approval':
      return route.approvers[Math.max(invoice.approvalLevel, 1) - 1] ?? null;
    case 'exception':
      return 'exception_owner';
    case 'approved':
    case 'submitted':
    case 'accepted':
    case 'rejected':
      return 'legal_ops';
    case 'on_hold':
      // A hold pauses the stage; whoever owned it still answers for it.
      return invoice.previousState === null || invoice.previousState === 'on_hold'
        ? null
        : stageOwner({ ...invoice, state: invoice.previousState }, route);
    case 'paid':
    case 'void':
      return null;
  }
}

/** Roles that may hand a stage to someone else (e.g. an approver on leave). */
export const REASSIGNING_ROLES: readonly Role[] = ['legal_ops', 'billing_coordinator', 'admin'];

export type ReassignmentPlan =
  | {
      readonly ok: true;
      readonly reason: string;
      readonly effects: readonly ['assign_owner', 'record_audit_event', 'notify_owner'];
    }
  | {
      readonly ok: false;
      readonly code: 'ROLE_NOT_ALLOWED' | 'REASON_REQUIRED';
      readonly message: string;
    };

/** Checks a reassignment: only the roles above, and never without a reason (it goes in the audit trail). */
export function planReassignment(
  roles: readonly Role[],
  reason: string | undefined,
): ReassignmentPlan {
  if (!roles.some((role) => REASSIGNING_ROLES.includes(role)))
    return {
      ok: false,
      code: 'ROLE_NOT_ALLOWED',
      message: `only ${REASSIGNING_ROLES.join(', ')} may reassign an invoice`,
    };
  const trimmed = reason?.trim() ?? '';
  if (trimmed === '')
    return { ok: false, code: 'REASON_REQUIRED', message: 'give a reason for the reassignment' };
  return {
    ok: true,
    reason: trimmed,
    effects: ['assign_owner', 'record_audit_event', 'notify_owner'],
  };
}
