/** What notifications read about invoices, matters and their people. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { InvoiceRef, MatterRef } from '../../domain/notifications/kinds.js';

export interface InvoiceNotice {
  invoice: InvoiceRef;
  matter: MatterRef;
  coordinatorUserId: number | null;
  attorneyUserId: number | null;
  partnerUserId: number | null;
}

/** The invoice and matter facts a message about the invoice carries, with the matter's people. */
export async function findInvoiceNotice(
  db: Kysely<DB>,
  invoiceId: number,
): Promise<InvoiceNotice | undefined> {
  const row = await db
    .selectFrom('invoice as i')
    .innerJoin('matter as m', 'm.id', 'i.matter_id')
    .select((eb) => [
      'i.id',
      'i.invoice_number',
      'i.state',
      'i.approval_level',
      'i.total_cents',
      'i.currency',
      'm.id as matter_id',
      'm.matter_code',
      'm.name as matter_name',
      'm.billing_coordinator_id',
      eb
        .selectFrom('app_user as u')
        .select('u.id')
        .whereRef('u.timekeeper_id', '=', 'm.responsible_attorney_id')
        .where('u.active', '=', true)
        .orderBy('u.id')
        .limit(1)
        .as('attorney_user_id'),
      eb
        .selectFrom('app_user as u')
        .select('u.id')
        .whereRef('u.timekeeper_id', '=', 'm.billing_partner_id')
        .where('u.active', '=', true)
        .orderBy('u.id')
        .limit(1)
        .as('partner_user_id'),
    ])
    .where('i.id', '=', invoiceId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    invoice: {
      id: row.id,
      number: row.invoice_number,
      state: row.state,
      approvalLevel: row.approval_level,
      totalCents: Number(row.total_cents),
      currency: row.currency,
    },
    matter: { id: row.matter_id, code: row.matter_code, name: row.matter_name },
    coordinatorUserId: row.billing_coordinator_id,
    attorneyUserId: row.attorney_user_id ?? null,
    partnerUserId: row.partner_user_id ?? null,
  };
}
