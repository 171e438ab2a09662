/**
 * Work becomes `billed` when its invoice is signed off, and goes back to `released` when the
 * invoice is reopened for review or voided. Billed work is frozen (the database refuses changes
 * to its recorded values), so once an approver has signed, nobody changes what they signed
 * underneath them; a voided invoice hands its work back to the next bill run.
 *
 * Only the work the invoice bills moves: lines billed or at no charge. Work a reviewer excluded,
 * held to a later cycle or moved to another matter stays released.
 *
 * Voiding also ends the invoice's claim on its work: its live lines become `voided` (see
 * `voidLines`), so the next bill run lists the work on a new invoice.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { InvoiceState } from '../../domain/workflow/index.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';

/** States in which the invoice's work is billed. */
const SIGNED_OFF: ReadonlySet<InvoiceState> = new Set([
  'approved',
  'submitted',
  'accepted',
  'rejected',
  'paid',
]);

/** Whether work on an invoice in `state` is billed; exception and hold keep the stage they left. */
export function billsWork(state: InvoiceState, previousState: InvoiceState | null): boolean {
  if (state === 'exception' || state === 'on_hold')
    return previousState !== null && previousState !== state && SIGNED_OFF.has(previousState);
  return SIGNED_OFF.has(state);
}

/**
 * Marks the invoice's work billed or released as its move requires, in the caller's
 * transaction, with one audit event listing what moved. Returns how many items moved.
 */
export async function settleBilledWork(
  trx: Kysely<DB>,
  actor: Actor,
  invoiceId: number,
  before: { state: InvoiceState; previousState: InvoiceState | null },
  after: { state: InvoiceState; previousState: InvoiceState | null },
  now: Date,
): Promise<number> {
  const was = billsWork(before.state, before.previousState);
  const is = billsWork(after.state, after.previousState);
  if (was === is) return 0;
  const [from, to] = is ? (['released', 'billed'] as const) : (['billed', 'released'] as const);
  const live = (column: 'time_entry_id' | 'expense_id') =>
    sql<boolean>`id in (select l.${sql.ref(column)} from invoice_line l
      where l.invoice_id = ${invoiceId} and l.disposition in ('bill', 'no_charge')
        and l.${sql.ref(column)} is not null)`;
  const [entries, expenses] = await Promise.all([
    trx
      .updateTable('time_entry')
      .set({ status: to, version: sql`version + 1`, updated_at: now })
      .where('status', '=', from)
      .where(live('time_entry_id'))
      .returning('entry_id')
      .execute(),
    trx
      .updateTable('expense')
      .set({ status: to, version: sql`version + 1`, updated_at: now })
      .where('status', '=', from)
      .where(live('expense_id'))
      .returning('expense_id')
      .execute(),
  ]);
  const moved = entries.length + expenses.length;
  if (moved > 0)
    await appendAuditEvent(
      trx,
      actor,
      {
        action: is ? 'invoice.work_billed' : 'invoice.work_released',
        entityType: 'invoice',
        entityId: invoiceId,
        before: { status: from },
        after: {
          status: to,
          time_entries: entries.map((e) => e.entry_id),
          expenses: expenses.map((e) => e.expense_id),
        },
      },
      now,
    );
  return moved;
}

/**
 * Marks the lines of a voided invoice that billed work (billed or at no charge) `voided`, in the
 * caller's transaction, after its work was released. The lines stay, with their values, for the
 * record; they no longer count as live, so the partial unique indexes on invoice_line let the
 * work join a new invoice. Lines a reviewer excluded, held or moved keep their disposition.
 * Returns how many lines were voided.
 */
export async function voidLines(trx: Kysely<DB>, invoiceId: number, now: Date): Promise<number> {
  const rows = await trx
    .updateTable('invoice_line')
    .set({ disposition: 'voided', version: sql`version + 1`, updated_at: now })
    .where('invoice_id', '=', invoiceId)
    .where('disposition', 'in', ['bill', 'no_charge'])
    .returning('id')
    .execute();
  return rows.length;
}
