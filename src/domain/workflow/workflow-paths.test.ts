import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEE_ARRANGEMENTS, ROLES } from '../roles.js';
import type { InvoiceFacts } from './guards.js';
import {
  findTransition,
  INVOICE_STATES,
  TRANSITIONS,
  type InvoiceState,
} from './invoice-states.js';
import {
  enterException,
  leaveException,
  leaveHold,
  planTransition,
  type WorkflowInvoice,
} from './plan-transition.js';

const CLEAN: InvoiceFacts = {
  openBlockingExceptions: 0,
  missingRequiredFields: [],
  pendingWriteDowns: 0,
  readinessProblems: 0,
  feeArrangement: 'hourly',
  outcomeAmountCents: null,
};
const APPROVER = { roles: ['approver'], isStageOwner: true } as const;
const COORDINATOR = { roles: ['billing_coordinator'], isStageOwner: true } as const;

/** Applies a successful plan to the invoice, failing the test on a refusal. */
function move(
  invoice: WorkflowInvoice,
  to: InvoiceState,
  actor: { roles: readonly (typeof ROLES)[number][]; isStageOwner: boolean },
  facts: InvoiceFacts = CLEAN,
  reason?: string,
): WorkflowInvoice {
  const plan = planTransition(invoice, to, actor, facts, reason);
  if (!plan.ok) throw new Error(`${invoice.state} → ${to}: ${plan.code} ${plan.message}`);
  return {
    ...invoice,
    state: plan.nextState,
    previousState: plan.previousState,
    approvalLevel: plan.approvalLevel,
  };
}

const draft = (chainLength: number): WorkflowInvoice => ({
  state: 'draft',
  previousState: null,
  approvalLevel: 0,
  chainLength,
});

describe('approver chains', () => {
  it('keeps a two-level chain in ready_for_approval after level 1 and approves at level 2', () => {
    let invoice = move(draft(2), 'in_review', COORDINATOR);
    invoice = move(invoice, 'ready_for_approval', COORDINATOR);
    expect(invoice).toMatchObject({ state: 'ready_for_approval', approvalLevel: 1 });
    invoice = move(invoice, 'approved', APPROVER);
    expect(invoice).toMatchObject({ state: 'ready_for_approval', approvalLevel: 2 });
    invoice = move(invoice, 'approved', APPROVER);
    expect(invoice).toMatchObject({ state: 'approved', approvalLevel: 2 });
  });

  it('records each level as a stage change so each level has its own SLA clock', () => {
    const plan = planTransition(
      { state: 'ready_for_approval', previousState: null, approvalLevel: 1, chainLength: 2 },
      'approved',
      APPROVER,
      CLEAN,
    );
    expect(plan.ok && plan.effects).toContainEqual({
      kind: 'record_stage_change',
      exited: 'ready_for_approval',
      entered: 'ready_for_approval',
      approvalLevel: 2,
    });
  });
});

describe('exceptions and holds', () => {
  it.each(TRANSITIONS.filter((t) => t.to === 'exception').map((t) => t.from))(
    'returns an invoice from exception to %s when the last blocking exception is cleared',
    (stage) => {
      const before: WorkflowInvoice = {
        state: stage,
        previousState: null,
        approvalLevel: stage === 'ready_for_approval' ? 2 : 0,
        chainLength: 2,
      };
      const blocked = move(before, 'exception', COORDINATOR, {
        ...CLEAN,
        openBlockingExceptions: 1,
      });
      expect(blocked).toMatchObject({ state: 'exception', previousState: stage });
      expect(enterException(stage)).toEqual({ nextState: 'exception', previousState: stage });
      expect(leaveException(blocked.previousState)).toBe(stage);
      const back = move(blocked, leaveException(blocked.previousState), {
        roles: ['timekeeper'],
        isStageOwner: true,
      });
      expect(back).toEqual(before);
    },
  );

  it('keeps the invoice in exception while a blocking exception is still open', () => {
    const blocked = {
      state: 'exception',
      previousState: 'in_review',
      approvalLevel: 0,
      chainLength: 1,
    } as const;
    const plan = planTransition(blocked, 'in_review', COORDINATOR, {
      ...CLEAN,
      openBlockingExceptions: 1,
    });
    expect(plan).toMatchObject({ ok: false, code: 'OPEN_BLOCKING_EXCEPTIONS' });
  });

  it('refuses a return anywhere but the stage the invoice came from', () => {
    const blocked = {
      state: 'exception',
      previousState: 'in_review',
      approvalLevel: 0,
      chainLength: 1,
    } as const;
    expect(planTransition(blocked, 'approved', COORDINATOR, CLEAN)).toMatchObject({
      code: 'NOT_PREVIOUS_STAGE',
    });
    expect(() => leaveException(null)).toThrow(RangeError);
    expect(enterException('submitted')).toBeNull();
  });

  it('releases an invoice from hold to the stage it came from, approval level intact', () => {
    const start = {
      state: 'ready_for_approval',
      previousState: null,
      approvalLevel: 2,
      chainLength: 2,
    } as const;
    const held = move(start, 'on_hold', APPROVER, CLEAN, 'client is disputing scope');
    expect(held).toMatchObject({ state: 'on_hold', previousState: 'ready_for_approval' });
    expect(leaveHold(held.previousState)).toBe('ready_for_approval');
    expect(planTransition(held, 'in_review', COORDINATOR, CLEAN)).toMatchObject({
      code: 'NOT_PREVIOUS_STAGE',
    });
    expect(move(held, 'ready_for_approval', COORDINATOR)).toEqual(start);
  });
});

describe('rework', () => {
  it.each([
    ['approved', COORDINATOR],
    ['rejected', { roles: ['legal_ops'], isStageOwner: true }],
    ['ready_for_approval', APPROVER],
  ] as const)('counts %s → in_review as rework and restarts the approver chain', (from, actor) => {
    const invoice = { state: from, previousState: null, approvalLevel: 2, chainLength: 2 };
    const plan = planTransition(invoice, 'in_review', actor, CLEAN, 'narratives too vague');
    expect(plan).toMatchObject({ ok: true, rework: true, approvalLevel: 0 });
    expect(plan.ok && plan.effects).toContainEqual({ kind: 'count_rework', from });
  });

  it('does not count forward moves or detour returns as rework', () => {
    const forward = TRANSITIONS.filter((t) => t.rework).map((t) => `${t.from}>${t.to}`);
    expect(forward.sort()).toEqual([
      'approved>in_review',
      'ready_for_approval>in_review',
      'rejected>in_review',
    ]);
  });
});

describe('any sequence of successful moves', () => {
  const state = fc.constantFrom(...INVOICE_STATES);
  const facts = fc.record({
    openBlockingExceptions: fc.nat(2),
    missingRequiredFields: fc.constantFrom([], ['period_end']),
    pendingWriteDowns: fc.nat(1),
    readinessProblems: fc.nat(1),
    feeArrangement: fc.constantFrom(...FEE_ARRANGEMENTS),
    outcomeAmountCents: fc.option(fc.nat(), { nil: null }),
  });
  const step = fc.record({
    to: state,
    roles: fc.subarray([...ROLES], { minLength: 1 }),
    isStageOwner: fc.boolean(),
    facts,
    reason: fc.option(fc.constantFrom('', 'client asked'), { nil: undefined }),
  });

  it('only ever moves along the table edges', () => {
    fc.assert(
      fc.property(
        state,
        fc.option(state, { nil: null }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(step, { maxLength: 40 }),
        (start, previousState, chainLength, steps) => {
          let invoice: WorkflowInvoice = {
            state: start,
            previousState,
            approvalLevel: start === 'ready_for_approval' ? 1 : 0,
            chainLength,
          };
          for (const { to, roles, isStageOwner, facts: f, reason } of steps) {
            const plan = planTransition(invoice, to, { roles, isStageOwner }, f, reason);
            if (!plan.ok) continue;
            expect(findTransition(invoice.state, to)).toBeDefined();
            // The one move that can stay put: an approval below the top of the chain.
            if (plan.nextState !== to) {
              expect([to, plan.nextState, plan.approvalLevel]).toEqual([
                'approved',
                'ready_for_approval',
                invoice.approvalLevel + 1,
              ]);
            }
            expect(plan.approvalLevel).toBeLessThanOrEqual(chainLength);
            // A detour always remembers where to return to.
            if (plan.nextState === 'exception' || plan.nextState === 'on_hold')
              expect(plan.previousState).toBe(invoice.state);
            invoice = {
              ...invoice,
              state: plan.nextState,
              previousState: plan.previousState,
              approvalLevel: plan.approvalLevel,
            };
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
