import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: this migration must never import application code.

// Work on a contingency matter is listed at no charge until the outcome is known; that
// difference is recorded as its own kind of adjustment, not as a flat fee.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table invoice_adjustment drop constraint invoice_adjustment_kind_valid`.execute(
    db,
  );
  await sql`
    alter table invoice_adjustment add constraint invoice_adjustment_kind_valid check (
      kind in ('edit', 'write_down', 'write_up', 'discount', 'guideline', 'fee_cap', 'flat_fee',
        'contingency_fee', 'client_reduction')
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from invoice_adjustment where kind = 'contingency_fee'`.execute(db);
  await sql`alter table invoice_adjustment drop constraint invoice_adjustment_kind_valid`.execute(
    db,
  );
  await sql`
    alter table invoice_adjustment add constraint invoice_adjustment_kind_valid check (
      kind in ('edit', 'write_down', 'write_up', 'discount', 'guideline', 'fee_cap', 'flat_fee', 'client_reduction')
    )`.execute(db);
}
