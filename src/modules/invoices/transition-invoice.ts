/**
 * Moving an invoice from one workflow stage to the next: load it behind the matter walls, gather
 * the facts the guards read, ask `planTransition`, then write the new stage, its stage event and
 * its audit event in one transaction.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { updateVersioned } from '../../db/versioned.js';
import { isIsoDate } from '../../domain/dates.js';
import { notFound, staleVersion, validationError, type FieldIssue } from '../../domain/errors.js';
import { localTime } from '../../domain/notifications/firm-time.js';
import type { Actor } from '../../domain/policy.js';
import type { FeeArrangement } from '../../domain/roles.js';
import {
  planTransition,
  transitionError,
  type InvoiceFacts,
  type InvoiceState,
} from '../../domain/workflow/index.js';
import { settleBilledWork, voidLines } from './billed-work.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { checkReadiness } from '../ebilling/readiness.js';
import { notificationSettingsOf } from '../notifications/settings.js';
import { notifyTransition } from '../notifications/notify-transition.js';
import { resolveStageOwners, type StageOwners } from '../routing/resolve-stage-owners.js';
import { findFirstLegalOps } from '../routing/routing.repository.js';
import * as repo from './invoices.repository.js';

export interface TransitionInput {
  to: InvoiceState;
  reason?: string;
  version: number;
  /** Only when moving to approved: the invoice date, instead of the day of approval. */
  invoiceDate?: string;
}

interface Owner {
  role: string | null;
  userId: number | null;
}

const NOBODY: Owner = { role: null, userId: null };

/** Moves invoice `invoiceId` to `input.to` for `actor`, or throws why the move is refused. */
export async function transitionInvoice(
  ctx: AppContext,
  actor: Actor,
  invoiceId: number,
  input: TransitionInput,
): Promise<void> {
  const now = ctx.now();
  await ctx.db
    .transaction()
    .execute((trx) => transitionInTransaction(ctx, trx, actor, invoiceId, input, now));
}

/**
 * The move inside a transaction the caller holds, so the caller's own writes (a submission, a
 * portal answer, a question to a timekeeper) commit or roll back with it. `trigger` is recorded
 * on the stage event.
 */
export async function transitionInTransaction(
  ctx: AppContext,
  trx: Kysely<DB>,
  actor: Actor,
  invoiceId: number,
  input: TransitionInput,
  now: Date,
  trigger = 'transition',
): Promise<void> {
  const actorId = actor.via === 'system' ? null : Number(actor.userId);
  const invoice = await repo.findVisibleInvoice(trx, actor, { id: invoiceId });
  if (!invoice) throw notFound('INVOICE_NOT_FOUND', `No invoice ${invoiceId}.`);
  if (invoice.version !== input.version)
    throw staleVersion('invoice', input.version, invoice.version);

  const from = invoice.state as InvoiceState;
  const previousState = invoice.previous_state as InvoiceState | null;
  const routed = await resolveStageOwners(trx, invoice.matter_id, Number(invoice.total_cents));
  const current = await ownerOf(
    trx,
    routed,
    from,
    invoice.approval_level,
    previousState,
    invoiceId,
  );
  const plan = planTransition(
    {
      state: from,
      previousState,
      approvalLevel: invoice.approval_level,
      chainLength: routed.approvers.length,
    },
    input.to,
    // The routed owner keeps the stage; a reassignment adds the owner recorded on the invoice.
    {
      roles: actor.roles,
      isStageOwner:
        actorId !== null && (current.userId === actorId || ownerId(invoice) === actorId),
    },
    await factsOf(trx, invoice, input.to),
    input.reason,
  );
  if (!plan.ok) throw transitionError(plan);
  const invoiceDate = invoiceDateOf(ctx, invoice, input, plan.nextState, now);

  const next = await nextOwner(trx, routed, invoiceId, from, plan);
  const reason = input.reason?.trim() || null;
  await updateVersioned(
    trx,
    'invoice',
    invoiceId,
    input.version,
    {
      state: plan.nextState,
      previous_state: plan.previousState,
      approval_level: plan.approvalLevel,
      owner_role: next.role,
      owner_user_id: next.userId,
      stage_entered_at: now,
      // Urgent belongs to the stage visit that breached its SLA; the next stage has its own clock.
      urgent: false,
      ...(invoiceDate === null ? {} : { invoice_date: invoiceDate }),
      // The version check makes the count read above the current one.
      ...(plan.rework ? { rework_count: invoice.rework_count + 1 } : {}),
    },
    'INVOICE_NOT_FOUND',
    now,
  );
  await repo.insertStageEvent(trx, {
    invoice_id: invoiceId,
    from_state: from,
    to_state: plan.nextState,
    approval_level: plan.approvalLevel,
    owner_role: next.role,
    owner_user_id: next.userId,
    actor_user_id: actorId,
    occurred_at: now,
    reason,
    rework: plan.rework,
    trigger,
  });
  // Signing off bills the work; reopening or voiding hands it back.
  await settleBilledWork(
    trx,
    actor,
    invoiceId,
    { state: from, previousState },
    { state: plan.nextState, previousState: plan.previousState },
    now,
  );
  // A voided invoice keeps its lines for the record and lets go of the work they listed.
  const voided = plan.nextState === 'void' ? await voidLines(trx, invoiceId, now) : 0;
  await appendAuditEvent(
    trx,
    actor,
    {
      action: 'invoice.transition',
      entityType: 'invoice',
      entityId: invoiceId,
      before: {
        state: from,
        approval_level: invoice.approval_level,
        ...(invoice.urgent ? { urgent: true } : {}),
      },
      after: {
        state: plan.nextState,
        approval_level: plan.approvalLevel,
        action: plan.action,
        ...(invoice.urgent ? { urgent: false } : {}),
        ...(voided > 0 ? { lines_voided: voided } : {}),
      },
      reason,
    },
    now,
  );
  await notifyTransition(trx, notificationSettingsOf(ctx), now, {
    invoiceId,
    effects: plan.effects,
    owner: next,
    version: input.version + 1,
    reason,
  });
}

/**
 * The date the invoice is to carry from this move on, or null to leave it: a date given with an
 * approval (never before the billing period ends), else the firm's day of the final approval
 * (the period's last day when approved before it ends). A date, once set, stays through rework.
 */
function invoiceDateOf(
  ctx: AppContext,
  invoice: repo.InvoiceRow,
  input: TransitionInput,
  nextState: InvoiceState,
  now: Date,
): string | null {
  if (input.invoiceDate !== undefined) {
    const issues: FieldIssue[] = [];
    if (input.to !== 'approved')
      issues.push({ field: 'invoice_date', message: 'is given only when approving the invoice' });
    else if (!isIsoDate(input.invoiceDate))
      issues.push({ field: 'invoice_date', message: 'must be a real date YYYY-MM-DD' });
    else if (input.invoiceDate < invoice.period_end)
      issues.push({
        field: 'invoice_date',
        message: `must not be before the billing period ends (${invoice.period_end})`,
      });
    if (issues.length > 0)
      throw validationError('INVOICE_DATE_INVALID', 'The invoice date cannot be used', issues);
    return input.invoiceDate;
  }
  if (nextState !== 'approved' || invoice.invoice_date !== null) return null;
  const today = localTime(now, notificationSettingsOf(ctx).timeZone).date;
  return today < invoice.period_end ? invoice.period_end : today;
}

const ownerId = (invoice: repo.InvoiceRow) =>
  invoice.owner_user_id === null ? null : Number(invoice.owner_user_id);

/**
 * The owner after a move: into exception, whoever the oldest open block's rule names; back from
 * exception or hold, whoever owned that stage when the invoice left it; otherwise the routing.
 */
async function nextOwner(
  trx: Kysely<DB>,
  routed: StageOwners,
  invoiceId: number,
  from: InvoiceState,
  plan: { nextState: InvoiceState; approvalLevel: number; previousState: InvoiceState | null },
): Promise<Owner> {
  if (plan.nextState === 'exception') {
    const block = await repo.findOldestOpenBlock(trx, invoiceId);
    if (block)
      return {
        role: block.owner_role,
        userId: block.owner_user_id === null ? null : Number(block.owner_user_id),
      };
  }
  if (from === 'exception' || from === 'on_hold')
    return repo.findOwnerOnLeaving(trx, invoiceId, plan.nextState);
  return ownerOf(trx, routed, plan.nextState, plan.approvalLevel, plan.previousState, invoiceId);
}

/** What the guards read, all from the database as it stands inside this transaction. */
async function factsOf(
  trx: Kysely<DB>,
  invoice: repo.InvoiceRow,
  to: InvoiceState,
): Promise<InvoiceFacts> {
  const [openBlockingExceptions, pendingWriteDowns, readiness, clientMatterId] = await Promise.all([
    repo.countOpenBlockingExceptions(trx, invoice.id),
    repo.countPendingAdjustments(trx, invoice.id),
    // Only submission reads the e-billing readiness; it writes and validates the whole file.
    to === 'submitted' ? checkReadiness(trx, invoice.id) : null,
    repo.findClientMatterId(trx, invoice.matter_id),
  ]);
  // An invoice for a client not on e-billing goes out by email: no portal to satisfy.
  const readinessErrors =
    readiness === null || readiness.report.format === null
      ? []
      : readiness.report.problems.filter((p) => p.severity === 'error');
  const missingRequiredFields: string[] = [];
  // Clients' portals file invoices under their own matter reference; without it they bounce.
  if ((clientMatterId ?? '').trim() === '') missingRequiredFields.push('client_matter_id');
  if (invoice.invoice_number.trim() === '') missingRequiredFields.push('invoice_number');
  return {
    openBlockingExceptions,
    missingRequiredFields,
    pendingWriteDowns,
    readinessProblems: readinessErrors.length,
    readinessCodes: [...new Set(readinessErrors.map((p) => p.code))],
    feeArrangement: invoice.fee_arrangement as FeeArrangement,
    outcomeAmountCents:
      invoice.outcome_amount_cents === null ? null : Number(invoice.outcome_amount_cents),
  };
}

/** Who owns `state` per the routing: reviewer, the approver of `level`, or legal ops after sign-off. */
async function ownerOf(
  trx: Kysely<DB>,
  routed: StageOwners,
  state: InvoiceState,
  level: number,
  previousState: InvoiceState | null,
  invoiceId: number,
): Promise<Owner> {
  switch (state) {
    case 'draft':
    case 'in_review':
    case 'exception':
      return { role: routed.reviewer.role, userId: routed.reviewer.userId };
    case 'waiting_on_timekeeper':
      // The timekeeper asked first owns the stage until every question is answered.
      return {
        role: 'timekeeper',
        userId: await repo.findFirstOpenQuestionAssignee(trx, invoiceId),
      };
    case 'ready_for_approval': {
      const approver = routed.approvers[level - 1];
      return approver ? { role: approver.role, userId: approver.userId } : NOBODY;
    }
    case 'approved':
    case 'submitted':
    case 'accepted':
    case 'rejected': {
      const legalOps = await findFirstLegalOps(trx);
      return { role: 'legal_ops', userId: legalOps ? Number(legalOps.id) : null };
    }
    case 'on_hold':
      return previousState === null || previousState === 'on_hold'
        ? NOBODY
        : ownerOf(trx, routed, previousState, level, null, invoiceId);
    case 'paid':
    case 'void':
      return NOBODY;
  }
}
