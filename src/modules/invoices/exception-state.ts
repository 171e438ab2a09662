/**
 * Keeping invoices in step with their blocking exceptions. When a blocking exception opens on an
 * invoice or on the work its live lines bill, the invoice enters `exception`, owned by the user
 * the oldest open block's rule names; when the last one is resolved or waived, it returns to the
 * stage it came from, owned as it was when it left. Each move writes the invoice, a stage event
 * and an audit event inside the caller's transaction, the one that opened or closed the
 * exception.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/policy.js';
import {
  enterException,
  EXCEPTION_SOURCES,
  leaveException,
  type InvoiceState,
} from '../../domain/workflow/index.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as repo from './invoices.repository.js';

/** What closed or opened the exception: recorded as the stage event's `trigger`. */
export type ExceptionTrigger = 'bill_run' | 'recheck' | 'work_check' | 'waive' | 'transition';

const SETTLED_STATES: readonly string[] = [...EXCEPTION_SOURCES, 'exception'];

/** The invoices (still in the workflow) whose live lines bill any of these entries or expenses. */
export async function invoicesOfWork(
  db: Kysely<DB>,
  entryIds: readonly number[],
  expenseIds: readonly number[],
): Promise<number[]> {
  if (entryIds.length === 0 && expenseIds.length === 0) return [];
  const rows = await db
    .selectFrom('invoice_line as l')
    .innerJoin('invoice as i', 'i.id', 'l.invoice_id')
    .select('l.invoice_id')
    .distinct()
    .where('l.disposition', 'in', ['bill', 'no_charge'])
    .where('i.state', 'in', SETTLED_STATES)
    .where((eb) =>
      eb.or([
        sql<boolean>`l.time_entry_id = any(${[...entryIds]}::bigint[])`,
        sql<boolean>`l.expense_id = any(${[...expenseIds]}::bigint[])`,
      ]),
    )
    .execute();
  return rows.map((r) => Number(r.invoice_id));
}

/**
 * Moves each of `invoiceIds` into or out of `exception` as its open blocking exceptions
 * require, and returns the state each is left in. Invoices past approval, and invoices already
 * where they belong, are left alone.
 */
export async function settleExceptionStates(
  trx: Kysely<DB>,
  actor: Actor,
  now: Date,
  invoiceIds: readonly number[],
  trigger: ExceptionTrigger,
): Promise<Map<number, InvoiceState>> {
  const states = new Map<number, InvoiceState>();
  if (invoiceIds.length === 0) return states;
  const invoices = await trx
    .selectFrom('invoice')
    .select([
      'id',
      'state',
      'previous_state',
      'approval_level',
      'owner_role',
      'owner_user_id',
      'urgent',
    ])
    .where(sql<boolean>`id = any(${[...new Set(invoiceIds)]}::bigint[])`)
    .where('state', 'in', SETTLED_STATES)
    .orderBy('id')
    .forUpdate()
    .execute();
  const actorId = actor.via === 'system' ? null : Number(actor.userId);
  for (const invoice of invoices) {
    const id = Number(invoice.id);
    const state = invoice.state as InvoiceState;
    const block = await repo.findOldestOpenBlock(trx, id);
    let move: {
      to: InvoiceState;
      previous: InvoiceState | null;
      owner: { role: string | null; userId: number | null };
      action: 'raise_exception' | 'clear_exception';
      reason: string;
    };
    const entered = state === 'exception' ? null : enterException(state);
    if (block !== undefined && entered !== null) {
      move = {
        to: entered.nextState,
        previous: entered.previousState,
        owner: { role: block.owner_role, userId: numOrNull(block.owner_user_id) },
        action: 'raise_exception',
        reason: `guideline:${block.rule_id}`,
      };
    } else if (block === undefined && state === 'exception') {
      const back = leaveException(invoice.previous_state as InvoiceState | null);
      move = {
        to: back,
        previous: null,
        owner: await repo.findOwnerOnLeaving(trx, id, back),
        action: 'clear_exception',
        reason: 'blocking exceptions resolved or waived',
      };
    } else {
      states.set(id, state);
      continue;
    }
    await trx
      .updateTable('invoice')
      .set({
        state: move.to,
        previous_state: move.previous,
        owner_role: move.owner.role,
        owner_user_id: move.owner.userId,
        stage_entered_at: now,
        // Leaving the stage (or the exception) ends the breach that made it urgent.
        urgent: false,
        version: sql`version + 1`,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await repo.insertStageEvent(trx, {
      invoice_id: id,
      from_state: state,
      to_state: move.to,
      approval_level: invoice.approval_level,
      owner_role: move.owner.role,
      owner_user_id: move.owner.userId,
      actor_user_id: actorId,
      occurred_at: now,
      reason: move.reason,
      trigger,
    });
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'invoice.transition',
        entityType: 'invoice',
        entityId: id,
        before: {
          state,
          approval_level: invoice.approval_level,
          ...(invoice.urgent ? { urgent: true } : {}),
        },
        after: {
          state: move.to,
          ...(invoice.urgent ? { urgent: false } : {}),
          approval_level: invoice.approval_level,
          action: move.action,
          trigger,
          owner_role: move.owner.role,
          owner_user_id: move.owner.userId,
        },
        reason: move.reason,
      },
      now,
    );
    states.set(id, move.to);
  }
  return states;
}

/** Settles the invoices billing this work (after its exceptions changed) and those named directly. */
export async function settleExceptionStatesOfWork(
  trx: Kysely<DB>,
  actor: Actor,
  now: Date,
  work: { entryIds?: readonly number[]; expenseIds?: readonly number[]; invoiceIds?: number[] },
  trigger: ExceptionTrigger,
): Promise<void> {
  const ids = await invoicesOfWork(trx, work.entryIds ?? [], work.expenseIds ?? []);
  await settleExceptionStates(trx, actor, now, [...ids, ...(work.invoiceIds ?? [])], trigger);
}

const numOrNull = (value: number | string | null) => (value === null ? null : Number(value));
