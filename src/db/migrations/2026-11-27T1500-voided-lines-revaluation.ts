import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: this migration must never import application code.

// A voided invoice keeps its lines for the record but no longer claims the work they listed:
// its billed and no-charge lines become `voided`. The unique indexes invoice_line_time_entry_key
// and invoice_line_expense_key (0300) are partial over `disposition in ('bill', 'no_charge')`,
// so a voided line is already outside them and the next bill run may list the work again.
// Revaluing a draft records what it did to each line as a `revaluation` adjustment.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table invoice_line drop constraint invoice_line_disposition_valid`.execute(db);
  await sql`
    alter table invoice_line add constraint invoice_line_disposition_valid check (
      disposition in ('bill', 'no_charge', 'exclude', 'hold', 'moved', 'voided')
    )`.execute(db);
  // Invoices voided before this migration still hold their work; let it go.
  await sql`
    update invoice_line set disposition = 'voided', version = version + 1, updated_at = now()
    where disposition in ('bill', 'no_charge')
      and invoice_id in (select id from invoice where state = 'void')`.execute(db);

  await sql`alter table invoice_adjustment drop constraint invoice_adjustment_kind_valid`.execute(
    db,
  );
  await sql`
    alter table invoice_adjustment add constraint invoice_adjustment_kind_valid check (
      kind in ('edit', 'write_down', 'write_up', 'discount', 'guideline', 'fee_cap', 'flat_fee',
        'contingency_fee', 'client_reduction', 'revaluation')
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from invoice_adjustment where kind = 'revaluation'`.execute(db);
  await sql`alter table invoice_adjustment drop constraint invoice_adjustment_kind_valid`.execute(
    db,
  );
  await sql`
    alter table invoice_adjustment add constraint invoice_adjustment_kind_valid check (
      kind in ('edit', 'write_down', 'write_up', 'discount', 'guideline', 'fee_cap', 'flat_fee',
        'contingency_fee', 'client_reduction')
    )`.execute(db);
  // The work may be on a newer invoice now, so a voided line cannot claim it back: it is excluded.
  await sql`update invoice_line set disposition = 'exclude' where disposition = 'voided'`.execute(
    db,
  );
  await sql`alter table invoice_line drop constraint invoice_line_disposition_valid`.execute(db);
  await sql`
    alter table invoice_line add constraint invoice_line_disposition_valid check (
      disposition in ('bill', 'no_charge', 'exclude', 'hold', 'moved')
    )`.execute(db);
}
