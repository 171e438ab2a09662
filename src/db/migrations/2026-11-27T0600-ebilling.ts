import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: this migration must never import application code.

const TAX_RATE = `'^[0-9]{1,3}(\\.[0-9]{1,6})?$'`;

export async function up(db: Kysely<any>): Promise<void> {
  // The client's e-billing profile: which timekeeper classification codes its portal accepts
  // (the original 1998B codes or the LOC 2014 revised ones, plus codes of its own), the tax its
  // 98BI invoices carry and the portal it uses. A matter may carry its own tax rate.
  await sql
    .raw(
      `
    alter table client
      add column ledes_classification_codes text not null default 'original',
      add column ledes_classification_map jsonb,
      add column tax_rate text,
      add column tax_type text,
      add column ebilling_portal text,
      add constraint client_ledes_classification_codes_valid
        check (ledes_classification_codes in ('original', 'revised')),
      add constraint client_tax_rate_format check (tax_rate ~ ${TAX_RATE})`,
    )
    .execute(db);
  await sql
    .raw(
      `
    alter table matter
      add column tax_rate text,
      add constraint matter_tax_rate_format check (tax_rate ~ ${TAX_RATE})`,
    )
    .execute(db);

  // Every LEDES file handed out: who, when, which format, and the exact bytes' checksum.
  await sql`
    create table ledes_export (
      id bigint generated always as identity primary key,
      invoice_id bigint not null references invoice (id),
      format text not null,
      sha256 text not null,
      bytes integer not null,
      exported_by bigint references app_user (id),
      actor text not null,
      exported_at timestamptz not null,
      constraint ledes_export_format_valid check (format in ('LEDES1998B', 'LEDES98BI')),
      constraint ledes_export_sha256_format check (sha256 ~ '^[0-9a-f]{64}$'),
      constraint ledes_export_bytes_positive check (bytes > 0)
    )`.execute(db);
  await sql`create index ledes_export_invoice_idx on ledes_export (invoice_id, exported_at)`.execute(
    db,
  );

  // A file sent to the client's portal: which export (by checksum), where and when.
  await sql`
    create table ebilling_submission (
      id bigint generated always as identity primary key,
      invoice_id bigint not null references invoice (id),
      ledes_export_id bigint not null references ledes_export (id),
      portal text not null,
      sha256 text not null,
      submitted_at timestamptz not null,
      recorded_by bigint references app_user (id),
      recorded_at timestamptz not null,
      constraint ebilling_submission_portal_present check (length(btrim(portal)) > 0)
    )`.execute(db);
  await sql`create index ebilling_submission_invoice_idx on ebilling_submission (invoice_id)`.execute(
    db,
  );

  // Every answer a portal gave, kept for reporting even when it changed nothing.
  await sql`
    create table ebilling_response (
      id bigint generated always as identity primary key,
      invoice_id bigint not null references invoice (id),
      invoice_number text not null,
      status text not null,
      reason_code text,
      reason_text text,
      amount_approved_cents bigint,
      response_date date not null,
      source_row integer,
      imported_by bigint references app_user (id),
      imported_at timestamptz not null,
      constraint ebilling_response_status_valid
        check (status in ('accepted', 'rejected', 'reduced', 'appealed', 'paid'))
    )`.execute(db);
  await sql`create index ebilling_response_invoice_idx on ebilling_response (invoice_id)`.execute(
    db,
  );
  await sql`create index ebilling_response_date_idx on ebilling_response (response_date)`.execute(
    db,
  );

  // Portal reason codes → the rule kinds that would have caught them; the latest version applies.
  await sql`
    create table ebilling_reason_map (
      id bigint generated always as identity primary key,
      version integer not null,
      source_text text not null,
      document jsonb not null,
      imported_by bigint references app_user (id),
      imported_at timestamptz not null,
      constraint ebilling_reason_map_version_key unique (version)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'ebilling_reason_map',
    'ebilling_response',
    'ebilling_submission',
    'ledes_export',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  await sql`alter table matter drop constraint matter_tax_rate_format, drop column tax_rate`.execute(
    db,
  );
  await sql`
    alter table client
      drop constraint client_tax_rate_format,
      drop constraint client_ledes_classification_codes_valid,
      drop column ebilling_portal,
      drop column tax_type,
      drop column tax_rate,
      drop column ledes_classification_map,
      drop column ledes_classification_codes`.execute(db);
}
