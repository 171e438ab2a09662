import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: this migration must never import application code.

const COUNTRY = `'^[A-Z]{3}$'`;

export async function up(db: Kysely<any>): Promise<void> {
  // The client's billing address, written into 98BI files (CLIENT_ADDRESS_1 … CLIENT_COUNTRY).
  await sql
    .raw(
      `
    alter table client
      add column billing_address_1 text,
      add column billing_address_2 text,
      add column billing_city text,
      add column billing_region text,
      add column billing_postcode text,
      add column billing_country text,
      add constraint client_billing_country_format check (billing_country ~ ${COUNTRY})`,
    )
    .execute(db);
  // The firm's own name and address (LAW_FIRM_NAME, LAW_FIRM_ADDRESS_1 … in 98BI files): one row.
  await sql
    .raw(
      `
    create table firm_profile (
      id smallint primary key default 1,
      firm_name text,
      address_1 text,
      address_2 text,
      city text,
      region text,
      postcode text,
      country text,
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      constraint firm_profile_single_row check (id = 1),
      constraint firm_profile_country_format check (country ~ ${COUNTRY})
    )`,
    )
    .execute(db);
  await sql`insert into firm_profile (id) values (1)`.execute(db);
  // An invoice is dated when it is approved (LEDES INVOICE_DATE), never before its period ends.
  // What the client took off after billing (a portal's "reduced" answer): the billed total stays
  // as billed; the amount due is the total plus these (negative) client adjustments.
  await sql`
    alter table invoice
      add column client_adjustments_cents bigint not null default 0,
      add column amount_due_cents bigint generated always as (total_cents + client_adjustments_cents) stored,
      add constraint invoice_client_adjustments_not_positive check (client_adjustments_cents <= 0),
      add constraint invoice_date_after_period check (invoice_date is null or invoice_date >= period_end)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table invoice
      drop constraint invoice_date_after_period,
      drop constraint invoice_client_adjustments_not_positive,
      drop column amount_due_cents,
      drop column client_adjustments_cents`.execute(db);
  await sql`drop table firm_profile`.execute(db);
  await sql`
    alter table client
      drop constraint client_billing_country_format,
      drop column billing_country,
      drop column billing_postcode,
      drop column billing_region,
      drop column billing_city,
      drop column billing_address_2,
      drop column billing_address_1`.execute(db);
}
