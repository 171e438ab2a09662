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
import { appendAuditEvents } from '../audit/audit.repository.js';
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
  // Two index lookups, not one `or`, which PostgreSQL answers by scanning every line.
  const { rows } = await sql<{ invoice_id: string | number }>`
    select l.invoice_id from invoice_line l join invoice i on i.id = l.invoice_id
    where l.time_entry_id = any(${[...entryIds]}::bigint[])
      and l.disposition in ('bill', 'no_charge') and i.state = any(${SETTLED_STATES}::text[])
    union
    select l.invoice_id from invoice_line l join invoice i on i.id = l.invoice_id
    where l.expense_id = any(${[...expenseIds]}::bigint[])
      and l.disposition in ('bill', 'no_charge') and i.state = any(${SETTLED_STATES}::text[])`.execute(
    db,
  );
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
  const blocks = await repo.findOldestOpenBlocks(
    trx,
    invoices.map((i) => Number(i.id)),
  );
  const moves: {
    invoice: (typeof invoices)[number];
    to: InvoiceState;
    previous: InvoiceState | null;
    owner: { role: string | null; userId: number | null };
    action: 'raise_exception' | 'clear_exception';
    reason: string;
  }[] = [];
  for (const invoice of invoices) {
    const id = Number(invoice.id);
    const state = invoice.state as InvoiceState;
    const block = blocks.get(id);
    const entered = state === 'exception' ? null : enterException(state);
    if (block !== undefined && entered !== null) {
      moves.push({
        invoice,
        to: entered.nextState,
        previous: entered.previousState,
        owner: { role: block.owner_role, userId: block.owner_user_id },
        action: 'raise_exception',
        reason: `guideline:${block.rule_id}`,
      });
    } else if (block === undefined && state === 'exception') {
      const back = leaveException(invoice.previous_state as InvoiceState | null);
      moves.push({
        invoice,
        to: back,
        previous: null,
        owner: await repo.findOwnerOnLeaving(trx, id, back),
        action: 'clear_exception',
        reason: 'blocking exceptions resolved or waived',
      });
    } else states.set(id, state);
  }
  if (moves.length === 0) return states;
  // One statement each for the invoices, their stage events and their audit events.
  await sql`
    update invoice i set
      state = m.state, previous_state = m.previous_state, owner_role = m.owner_role,
      owner_user_id = m.owner_user_id, stage_entered_at = ${now},
      -- Leaving the stage (or the exception) ends the breach that made it urgent.
      urgent = false, version = i.version + 1, updated_at = ${now}
    from unnest(
      ${moves.map((m) => Number(m.invoice.id))}::bigint[],
      ${moves.map((m) => m.to)}::text[],
      ${moves.map((m) => m.previous)}::text[],
      ${moves.map((m) => m.owner.role)}::text[],
      ${moves.map((m) => m.owner.userId)}::bigint[]
    ) as m(id, state, previous_state, owner_role, owner_user_id)
    where i.id = m.id`.execute(trx);
  await repo.insertStageEvents(
    trx,
    moves.map((move) => ({
      invoice_id: Number(move.invoice.id),
      from_state: move.invoice.state,
      to_state: move.to,
      approval_level: move.invoice.approval_level,
      owner_role: move.owner.role,
      owner_user_id: move.owner.userId,
      actor_user_id: actorId,
      occurred_at: now,
      reason: move.reason,
      trigger,
    })),
  );
  await appendAuditEvents(
    trx,
    moves.map(({ invoice, ...move }) => ({
      actor,
      occurredAt: now,
      event: {
        action: 'invoice.transition',
        entityType: 'invoice',
        entityId: Number(invoice.id),
        before: {
          state: invoice.state,
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
    })),
  );
  for (const move of moves) states.set(Number(move.invoice.id), move.to);
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
