/**
 * Handing the current stage of an invoice to another person, with a reason on record: the
 * invoice stays where it is, its owner changes, and a stage event (trigger `reassign`) and an
 * audit event record who, to whom and why, in one transaction.
 */
import type { AppContext } from '../../config/context.js';
import { updateVersioned } from '../../db/versioned.js';
import {
  AppError,
  conflict,
  notFound,
  staleVersion,
  validationError,
} from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { isRole, type Role } from '../../domain/roles.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { visibleMatterIds } from '../matters/matter-access.js';
import * as repo from './invoices.repository.js';

export interface ReassignInput {
  userId: number;
  reason: string;
  version: number;
}

/** Who may hand a stage to someone else: the people who run the billing cycle. */
export const REASSIGNING_ROLES: readonly Role[] = ['billing_coordinator', 'legal_ops', 'admin'];
const CLOSED_STATES = new Set(['paid', 'void']);

/** Makes `input.userId` the owner of the invoice's current stage, or throws why not. */
export async function reassignInvoice(
  ctx: AppContext,
  actor: Actor,
  invoiceId: number,
  input: ReassignInput,
): Promise<void> {
  const now = ctx.now();
  const reason = input.reason.trim();
  if (reason === '')
    throw validationError('REASON_REQUIRED', 'Give a reason for the reassignment.', [
      { field: 'reason', message: 'must not be empty' },
    ]);
  await ctx.db.transaction().execute(async (trx) => {
    const invoice = await repo.findVisibleInvoice(trx, actor, { id: invoiceId });
    if (!invoice) throw notFound('INVOICE_NOT_FOUND', `No invoice ${invoiceId}.`);
    if (!actor.roles.some((role) => REASSIGNING_ROLES.includes(role)))
      throw new AppError(
        'forbidden',
        'ROLE_NOT_ALLOWED',
        `only ${REASSIGNING_ROLES.join(', ')} may reassign an invoice`,
        { allowedRoles: REASSIGNING_ROLES },
      );
    if (invoice.version !== input.version)
      throw staleVersion('invoice', input.version, invoice.version);
    if (CLOSED_STATES.has(invoice.state))
      throw conflict('INVOICE_CLOSED', `Invoice ${invoice.invoice_number} is ${invoice.state}.`, {
        state: invoice.state,
      });
    const target = await trx
      .selectFrom('app_user')
      .select(['id', 'email', 'roles', 'timekeeper_id'])
      .where('id', '=', input.userId)
      .where('active', '=', true)
      .executeTakeFirst();
    // A new owner must be able to see the matter: behind a wall, only its members.
    const sees =
      target !== undefined &&
      (await visibleMatterIds(
        trx,
        {
          userId: String(target.id),
          email: target.email,
          roles: target.roles.filter(isRole),
          timekeeperId: target.timekeeper_id === null ? null : String(target.timekeeper_id),
          via: 'session',
        },
        'work',
      )
        .where('vm.id', '=', invoice.matter_id)
        .executeTakeFirst()) !== undefined;
    if (!sees)
      throw validationError('OWNER_NOT_ELIGIBLE', `User ${input.userId} cannot own this invoice.`, [
        {
          field: 'user_id',
          message: 'must be an active user who can see the matter',
        },
      ]);
    const before = invoice.owner_user_id === null ? null : Number(invoice.owner_user_id);
    if (before === Number(target.id))
      throw conflict('ALREADY_OWNER', `User ${target.id} already owns this invoice.`);

    await updateVersioned(
      trx,
      'invoice',
      invoiceId,
      input.version,
      { owner_user_id: Number(target.id) },
      'INVOICE_NOT_FOUND',
      now,
    );
    await repo.insertStageEvent(trx, {
      invoice_id: invoiceId,
      from_state: invoice.state,
      to_state: invoice.state,
      approval_level: invoice.approval_level,
      owner_role: invoice.owner_role,
      owner_user_id: Number(target.id),
      actor_user_id: actor.via === 'system' ? null : Number(actor.userId),
      occurred_at: now,
      reason,
      trigger: 'reassign',
    });
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'invoice.reassign',
        entityType: 'invoice',
        entityId: invoiceId,
        before: { state: invoice.state, owner_user_id: before },
        after: { state: invoice.state, owner_user_id: Number(target.id) },
        reason,
      },
      now,
    );
  });
}
