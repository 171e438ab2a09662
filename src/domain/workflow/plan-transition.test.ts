import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../roles.js';
import type { InvoiceFacts } from './guards.js';
import {
  findTransition,
  INVOICE_STATES,
  TERMINAL_STATES,
  TRANSITIONS,
  type InvoiceState,
  type Transition,
} from './invoice-states.js';
import { planTransition, transitionError, type WorkflowInvoice } from './plan-transition.js';

const CLEAN: InvoiceFacts = {
  openBlockingExceptions: 0,
  missingRequiredFields: [],
  pendingWriteDowns: 0,
  readinessProblems: 0,
  feeArrangement: 'hourly',
  outcomeAmountCents: null,
};

/** An invoice sitting at the start of `t`, with whatever its detours remember. */
function invoiceFor(t: Transition, chainLength = 1): WorkflowInvoice {
  const detour = t.from === 'exception' || t.from === 'on_hold';
  return {
    state: t.from,
    previousState: detour ? t.to : null,
    approvalLevel: t.from === 'ready_for_approval' ? 1 : 0,
    chainLength,
  };
}
const factsFor = (t: Transition): InvoiceFacts =>
  t.guards.includes('has_open_blocking_exception')
    ? { ...CLEAN, openBlockingExceptions: 1 }
    : CLEAN;
const owner = (role: Role) => ({ roles: [role], isStageOwner: true });
const label = (t: Transition) => `${t.from} → ${t.to}`;

describe('the transition table', () => {
  it.each(TRANSITIONS.flatMap((t) => t.roles.map((role) => [label(t), role, t] as const)))(
    'lets %s through for %s',
    (_label, role, t) => {
      const plan = planTransition(invoiceFor(t), t.to, owner(role), factsFor(t), 'client asked');
      expect(plan).toMatchObject({ ok: true, nextState: t.to, rework: t.rework });
    },
  );

  it.each(
    TRANSITIONS.flatMap((t) =>
      ROLES.filter((r) => !t.roles.includes(r)).map((role) => [label(t), role, t] as const),
    ),
  )('refuses %s for %s with ROLE_NOT_ALLOWED', (_label, role, t) => {
    const plan = planTransition(invoiceFor(t), t.to, owner(role), factsFor(t), 'client asked');
    expect(plan).toMatchObject({ ok: false, code: 'ROLE_NOT_ALLOWED' });
  });

  const illegal = INVOICE_STATES.flatMap((from) =>
    INVOICE_STATES.filter((to) => findTransition(from, to) === undefined).map((to) => [from, to]),
  ) as [InvoiceState, InvoiceState][];
  it.each(illegal)('refuses %s → %s with TRANSITION_NOT_ALLOWED', (from, to) => {
    const invoice = { state: from, previousState: to, approvalLevel: 1, chainLength: 1 };
    const actor = { roles: ROLES, isStageOwner: true };
    const plan = planTransition(invoice, to, actor, CLEAN, 'why');
    expect(plan).toMatchObject({ ok: false, code: 'TRANSITION_NOT_ALLOWED' });
  });

  it('makes void and paid terminal', () => {
    expect([...TERMINAL_STATES].sort()).toEqual(['paid', 'void']);
  });

  it('keeps review and approval as separate steps with separate actions', () => {
    expect(findTransition('in_review', 'ready_for_approval')?.action).toBe('complete_review');
    expect(findTransition('in_review', 'approved')).toBeUndefined();
    expect(findTransition('ready_for_approval', 'approved')?.roles).toEqual(['approver']);
  });
});

describe('who may act', () => {
  const review = {
    state: 'in_review',
    previousState: null,
    approvalLevel: 0,
    chainLength: 1,
  } as const;
  const approval = { ...review, state: 'ready_for_approval', approvalLevel: 1 } as const;

  it('refuses an approver who is not the routed approver of the current level', () => {
    const plan = planTransition(
      approval,
      'approved',
      { roles: ['approver'], isStageOwner: false },
      CLEAN,
    );
    expect(plan).toMatchObject({ ok: false, code: 'NOT_STAGE_OWNER' });
  });

  it('does not let an admin sign off for an approver', () => {
    const actor = { roles: ['admin'] as Role[], isStageOwner: false };
    expect(planTransition(approval, 'approved', actor, CLEAN, 'override')).toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
    });
  });

  it('lets any billing coordinator complete a review, but only the routed reviewer among approvers', () => {
    const coordinator = { roles: ['billing_coordinator'] as Role[], isStageOwner: false };
    const attorney = { roles: ['approver'] as Role[], isStageOwner: false };
    expect(planTransition(review, 'ready_for_approval', coordinator, CLEAN).ok).toBe(true);
    expect(planTransition(review, 'ready_for_approval', attorney, CLEAN)).toMatchObject({
      code: 'NOT_STAGE_OWNER',
    });
  });

  it.each(TRANSITIONS.filter((t) => t.requiresReason).map((t) => [label(t), t] as const))(
    'asks for a reason on %s',
    (_label, t) => {
      for (const reason of [undefined, '', '   ']) {
        const plan = planTransition(invoiceFor(t), t.to, owner(t.roles[0]!), factsFor(t), reason);
        expect(plan).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
      }
    },
  );
});

describe('guards', () => {
  const at = (state: InvoiceState, approvalLevel = 0): WorkflowInvoice => ({
    state,
    previousState: null,
    approvalLevel,
    chainLength: 1,
  });
  const coordinator = owner('billing_coordinator');

  it.each([
    ['OPEN_BLOCKING_EXCEPTIONS', { openBlockingExceptions: 2 }],
    ['REQUIRED_FIELDS_MISSING', { missingRequiredFields: ['client_matter_id'] }],
    ['CONTINGENCY_OUTCOME_MISSING', { feeArrangement: 'contingency' }],
  ] as const)('refuses completing a review with %s', (code, change) => {
    const plan = planTransition(at('in_review'), 'ready_for_approval', coordinator, {
      ...CLEAN,
      ...change,
    });
    expect(plan).toMatchObject({ ok: false, code });
  });

  it('says in plain words what blocks approval', () => {
    const plan = planTransition(at('ready_for_approval', 1), 'approved', owner('approver'), {
      ...CLEAN,
      openBlockingExceptions: 2,
    });
    expect(plan).toMatchObject({
      message: '2 blocking exceptions are open: resolve or waive them before approval',
      details: { guard: 'no_open_blocking_exceptions', openBlockingExceptions: 2 },
    });
  });

  it('holds the last approval, not an earlier level, until write-downs are approved', () => {
    const facts = { ...CLEAN, pendingWriteDowns: 1 };
    const twoLevels = { ...at('ready_for_approval', 1), chainLength: 2 };
    expect(planTransition(twoLevels, 'approved', owner('approver'), facts).ok).toBe(true);
    const last = { ...twoLevels, approvalLevel: 2 };
    expect(planTransition(last, 'approved', owner('approver'), facts)).toMatchObject({
      code: 'WRITE_DOWNS_PENDING',
    });
    expect(planTransition(at('approved'), 'submitted', owner('legal_ops'), facts)).toMatchObject({
      code: 'WRITE_DOWNS_PENDING',
    });
  });

  it('refuses submission while readiness checks find problems', () => {
    const plan = planTransition(at('approved'), 'submitted', owner('legal_ops'), {
      ...CLEAN,
      readinessProblems: 3,
    });
    expect(plan).toMatchObject({
      code: 'NOT_READY_FOR_SUBMISSION',
      details: { readinessProblems: 3 },
    });
  });

  it('moves to exception only while a blocking exception is open', () => {
    expect(planTransition(at('in_review'), 'exception', coordinator, CLEAN)).toMatchObject({
      code: 'NO_OPEN_BLOCKING_EXCEPTION',
    });
  });

  it('refuses review completion without an approver chain, but still lets an unrouted draft move', () => {
    const unrouted = { ...at('in_review'), chainLength: 0 };
    expect(planTransition(unrouted, 'ready_for_approval', coordinator, CLEAN)).toMatchObject({
      code: 'INVALID_APPROVAL_CHAIN',
    });
    const draft = { ...at('draft'), chainLength: 0 };
    expect(planTransition(draft, 'void', coordinator, CLEAN, 'duplicate').ok).toBe(true);
  });

  it('maps refusals to 409 conflicts, except the actor or input being at fault', () => {
    const refusal = planTransition(at('paid'), 'draft', coordinator, CLEAN);
    if (refusal.ok) throw new Error('expected a refusal');
    expect(transitionError(refusal)).toMatchObject({
      kind: 'conflict',
      code: 'TRANSITION_NOT_ALLOWED',
    });
    const role = planTransition(at('draft'), 'in_review', owner('timekeeper'), CLEAN);
    if (role.ok) throw new Error('expected a refusal');
    expect(transitionError(role).kind).toBe('forbidden');
  });
});
