/** The SQL of pre-bill review: locked lines, reason codes, thresholds, pending write-downs. */
import type { Insertable, Kysely, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { DB, InvoiceAdjustmentTable, InvoiceLineTable } from '../../db/schema.js';
import { findBillMatters } from '../invoices/bill-run.repository.js';
import * as repo from '../invoices/invoices.repository.js';

/** Kinds a reviewer records that lower the bill: what thresholds and the report count. */
export const WRITE_DOWN_KINDS = ['write_down', 'discount'] as const;

export async function findLineForUpdate(
  db: Kysely<DB>,
  invoiceId: number,
  lineId: number,
): Promise<repo.InvoiceLineRow | undefined> {
  await sql`select 1 from invoice_line where id = ${lineId} and invoice_id = ${invoiceId} for update`.execute(
    db,
  );
  const [line] = (await repo.findLines(db, [invoiceId])).filter((l) => Number(l.id) === lineId);
  return line;
}

export async function countPendingOnLine(db: Kysely<DB>, lineId: number): Promise<number> {
  const row = await db
    .selectFrom('invoice_adjustment')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('invoice_line_id', '=', lineId)
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function findReason(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('adjustment_reason')
    .select(['code', 'label', 'requires_note', 'active'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export function listReasons(db: Kysely<DB>, includeInactive: boolean) {
  let q = db.selectFrom('adjustment_reason').select(['code', 'label', 'requires_note', 'active']);
  if (!includeInactive) q = q.where('active', '=', true);
  return q.orderBy('code').execute();
}

export function findSettings(db: Kysely<DB>) {
  return db
    .selectFrom('prebill_setting')
    .select([
      'write_down_approval_amount_cents',
      'write_down_approval_percent',
      'version',
      'updated_by',
      'updated_at',
    ])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
}

/** The invoice's reviewer write-downs and discounts still standing (pending or applied), in cents. */
export async function sumWriteDowns(db: Kysely<DB>, invoiceId: number): Promise<number> {
  const row = await db
    .selectFrom('invoice_adjustment')
    .select(sql<string>`coalesce(sum(-amount_cents), 0)`.as('total'))
    .where('invoice_id', '=', invoiceId)
    .where('kind', 'in', WRITE_DOWN_KINDS)
    .where('state', 'in', ['pending', 'applied'])
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export function findBillMatter(db: Kysely<DB>, matterId: number) {
  return findBillMatters(db, [matterId]);
}

export async function updateLine(
  db: Kysely<DB>,
  lineId: number,
  values: Updateable<InvoiceLineTable>,
  now: Date,
): Promise<void> {
  await db
    .updateTable('invoice_line')
    .set({ ...values, version: sql`version + 1`, updated_at: now })
    .where('id', '=', lineId)
    .execute();
}

export async function insertAdjustment(
  db: Kysely<DB>,
  row: Insertable<InvoiceAdjustmentTable>,
): Promise<number> {
  const inserted = await db
    .insertInto('invoice_adjustment')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** The next free line number on an invoice. */
export async function nextLineNumber(db: Kysely<DB>, invoiceId: number): Promise<number> {
  const row = await db
    .selectFrom('invoice_line')
    .select(sql<number>`coalesce(max(line_number), 0) + 1`.as('next'))
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  return Number(row.next);
}

export async function findAdjustmentForUpdate(
  db: Kysely<DB>,
  invoiceId: number,
  adjustmentId: number,
) {
  return db
    .selectFrom('invoice_adjustment')
    .select([
      'id',
      'invoice_line_id',
      'kind',
      'field',
      'before',
      'amount_cents',
      'state',
      'requested_by',
    ])
    .where('id', '=', adjustmentId)
    .where('invoice_id', '=', invoiceId)
    .forUpdate()
    .executeTakeFirst();
}
