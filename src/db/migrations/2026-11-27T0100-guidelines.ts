import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: this migration must never import application code.

export async function up(db: Kysely<any>): Promise<void> {
  // Every import of a guideline document is a new version; versions are never rewritten.
  await sql`
    create table guideline_version (
      id bigint generated always as identity primary key,
      guideline_key text not null,
      client_id bigint references client (id),
      version integer not null,
      name text not null,
      effective_from date not null,
      source_text text not null,
      document jsonb not null,
      status text not null default 'draft',
      imported_by bigint references app_user (id),
      imported_at timestamptz not null default now(),
      activated_by bigint references app_user (id),
      activated_at timestamptz,
      retired_at timestamptz,
      constraint guideline_version_key unique (guideline_key, version),
      constraint guideline_version_positive check (version > 0),
      constraint guideline_version_status_valid check (status in ('draft', 'active', 'retired')),
      constraint guideline_version_activation_recorded check (status = 'draft' or activated_at is not null)
    )`.execute(db);
  // One active guideline per client, and one firm-wide (client_id null).
  await sql`
    create unique index guideline_version_one_active
      on guideline_version (coalesce(client_id, 0)) where status = 'active'`.execute(db);

  // Findings that persist: one row per (rule, entity) while open or waived.
  await sql`
    create table guideline_exception (
      id bigint generated always as identity primary key,
      fingerprint text not null,
      rule_id text not null,
      rule_kind text not null,
      guideline_version_id bigint references guideline_version (id),
      severity text not null,
      owner_role text not null,
      owner_user_id bigint references app_user (id),
      entity_type text not null,
      time_entry_id bigint references time_entry (id),
      expense_id bigint references expense (id),
      entity_external_id text not null,
      matter_id bigint not null references matter (id),
      message text not null,
      correction jsonb,
      state text not null default 'open',
      opened_at timestamptz not null,
      last_seen_at timestamptz not null,
      resolved_at timestamptz,
      resolved_by bigint references app_user (id),
      waived_at timestamptz,
      waived_by bigint references app_user (id),
      waive_reason text,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint guideline_exception_severity_valid check (severity in ('block', 'warn', 'adjust')),
      constraint guideline_exception_owner_valid check (
        owner_role in ('timekeeper', 'billing_coordinator', 'responsible_attorney', 'billing_partner', 'legal_ops')
      ),
      constraint guideline_exception_entity_valid check (
        (entity_type = 'time_entry' and time_entry_id is not null and expense_id is null)
        or (entity_type = 'expense' and expense_id is not null and time_entry_id is null)
      ),
      constraint guideline_exception_state_valid check (state in ('open', 'resolved', 'waived')),
      constraint guideline_exception_waiver_explained check (
        state <> 'waived' or (waived_at is not null and length(btrim(coalesce(waive_reason, ''))) > 0)
      ),
      constraint guideline_exception_resolution_recorded check (state <> 'resolved' or resolved_at is not null)
    )`.execute(db);
  // A finding that still holds is never opened twice, and a waived one is not reopened.
  await sql`
    create unique index guideline_exception_live_key
      on guideline_exception (fingerprint) where state in ('open', 'waived')`.execute(db);
  await sql`create index guideline_exception_time_entry_idx on guideline_exception (time_entry_id) where time_entry_id is not null`.execute(
    db,
  );
  await sql`create index guideline_exception_expense_idx on guideline_exception (expense_id) where expense_id is not null`.execute(
    db,
  );
  await sql`create index guideline_exception_owner_idx on guideline_exception (owner_user_id, state)`.execute(
    db,
  );
  await sql`create index guideline_exception_matter_idx on guideline_exception (matter_id, state)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists guideline_exception`.execute(db);
  await sql`drop table if exists guideline_version`.execute(db);
}
