import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: this migration must never import application code.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table client (
      id bigint generated always as identity primary key,
      client_code text not null,
      name text not null,
      currency text not null,
      ebilling_format text not null default 'none',
      ebilling_client_id text,
      law_firm_id text,
      active boolean not null default true,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint client_code_key unique (client_code),
      constraint client_code_format check (client_code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,19}$'),
      constraint client_name_present check (length(btrim(name)) > 0),
      constraint client_currency_iso check (currency ~ '^[A-Z]{3}$'),
      constraint client_ebilling_format_valid check (ebilling_format in ('none', 'LEDES1998B', 'LEDES98BI'))
    )`.execute(db);

  await sql`
    create table timekeeper (
      id bigint generated always as identity primary key,
      timekeeper_code text not null,
      first_name text not null,
      last_name text not null,
      classification text not null,
      email text,
      standard_rate_cents bigint,
      currency text not null,
      practice_group text,
      active boolean not null default true,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint timekeeper_code_key unique (timekeeper_code),
      constraint timekeeper_code_format check (timekeeper_code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,19}$'),
      constraint timekeeper_name_present check (length(btrim(last_name)) > 0 and length(btrim(first_name)) > 0),
      constraint timekeeper_classification_valid check (classification in ('PT', 'OC', 'AS', 'PL', 'LA', 'OT')),
      constraint timekeeper_standard_rate_nonnegative check (standard_rate_cents >= 0),
      constraint timekeeper_currency_iso check (currency ~ '^[A-Z]{3}$')
    )`.execute(db);

  await sql`
    create table app_user (
      id bigint generated always as identity primary key,
      email text not null,
      name text not null,
      roles text[] not null,
      timekeeper_id bigint references timekeeper (id),
      password_hash text,
      active boolean not null default true,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint app_user_email_format check (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
      constraint app_user_name_present check (length(btrim(name)) > 0),
      constraint app_user_roles_valid check (
        cardinality(roles) > 0
        and roles <@ array['admin', 'legal_ops', 'billing_coordinator', 'approver', 'timekeeper']::text[]
      )
    )`.execute(db);
  await sql`create unique index app_user_email_key on app_user (lower(email))`.execute(db);
  await sql`create unique index app_user_timekeeper_key on app_user (timekeeper_id) where timekeeper_id is not null`.execute(
    db,
  );

  await sql`
    create table matter (
      id bigint generated always as identity primary key,
      matter_code text not null,
      client_id bigint not null references client (id),
      client_matter_id text,
      name text not null,
      practice_area text not null,
      jurisdiction text,
      office text,
      fee_arrangement text not null,
      fee_amount_cents bigint,
      responsible_attorney_id bigint not null references timekeeper (id),
      billing_partner_id bigint not null references timekeeper (id),
      billing_coordinator_id bigint references app_user (id),
      budget_cents bigint,
      status text not null default 'open',
      opened_on date not null,
      closed_on date,
      restricted boolean not null default false,
      active boolean not null default true,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint matter_code_key unique (matter_code),
      constraint matter_code_format check (matter_code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,19}$'),
      constraint matter_client_matter_id_length check (length(client_matter_id) <= 20),
      constraint matter_name_present check (length(btrim(name)) > 0),
      constraint matter_fee_arrangement_valid check (fee_arrangement in ('hourly', 'flat', 'contingency', 'capped')),
      constraint matter_fee_amount_matches_arrangement check (
        case fee_arrangement
          when 'flat' then fee_amount_cents is not null
          when 'capped' then fee_amount_cents is not null
          when 'hourly' then fee_amount_cents is null
          else true
        end
      ),
      constraint matter_fee_amount_nonnegative check (fee_amount_cents >= 0),
      constraint matter_budget_nonnegative check (budget_cents >= 0),
      constraint matter_status_valid check (status in ('open', 'on_hold', 'closed')),
      constraint matter_closed_has_date check (status <> 'closed' or closed_on is not null),
      constraint matter_dates_ordered check (closed_on is null or closed_on >= opened_on)
    )`.execute(db);
  await sql`create index matter_client_idx on matter (client_id)`.execute(db);

  await sql`
    create table matter_member (
      matter_id bigint not null references matter (id),
      user_id bigint not null references app_user (id),
      added_at timestamptz not null default now(),
      primary key (matter_id, user_id)
    )`.execute(db);
  await sql`create index matter_member_user_idx on matter_member (user_id)`.execute(db);

  await sql`
    create table matter_timekeeper (
      matter_id bigint not null references matter (id),
      timekeeper_id bigint not null references timekeeper (id),
      approved_rate_cents bigint,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (matter_id, timekeeper_id),
      constraint matter_timekeeper_rate_nonnegative check (approved_rate_cents >= 0)
    )`.execute(db);
  await sql`create index matter_timekeeper_timekeeper_idx on matter_timekeeper (timekeeper_id)`.execute(
    db,
  );

  await sql`
    create table rate (
      id bigint generated always as identity primary key,
      timekeeper_id bigint not null references timekeeper (id),
      client_id bigint references client (id),
      matter_id bigint references matter (id),
      rate_cents bigint not null,
      currency text not null,
      effective_from date not null,
      effective_to date,
      active boolean not null default true,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint rate_nonnegative check (rate_cents >= 0),
      constraint rate_currency_iso check (currency ~ '^[A-Z]{3}$'),
      constraint rate_dates_ordered check (effective_to is null or effective_to >= effective_from)
    )`.execute(db);
  // The natural key rate imports upsert on: one row per timekeeper, scope and start date.
  await sql`
    create unique index rate_scope_start_key
      on rate (timekeeper_id, coalesce(client_id, 0), coalesce(matter_id, 0), effective_from)`.execute(
    db,
  );

  await sql`
    create table time_entry (
      id bigint generated always as identity primary key,
      entry_id text not null,
      matter_id bigint not null references matter (id),
      timekeeper_id bigint not null references timekeeper (id),
      work_date date not null,
      hours numeric(8, 2) not null,
      narrative text not null default '',
      task_code text,
      activity_code text,
      billable boolean not null default true,
      status text not null default 'draft',
      released_at timestamptz,
      rate_cents bigint,
      amount_cents bigint,
      active boolean not null default true,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint time_entry_entry_id_key unique (entry_id),
      constraint time_entry_entry_id_format check (entry_id ~ '^[^[:space:]|]{1,64}$'),
      constraint time_entry_hours_range check (hours > 0 and hours <= 24),
      constraint time_entry_code_length check (length(task_code) <= 20 and length(activity_code) <= 20),
      constraint time_entry_status_valid check (status in ('draft', 'released', 'billed', 'written_off', 'held')),
      constraint time_entry_released_has_time check (status = 'draft' or released_at is not null)
    )`.execute(db);
  await sql`create index time_entry_matter_date_idx on time_entry (matter_id, work_date)`.execute(
    db,
  );
  await sql`create index time_entry_timekeeper_date_idx on time_entry (timekeeper_id, work_date)`.execute(
    db,
  );

  await sql`
    create table expense (
      id bigint generated always as identity primary key,
      expense_id text not null,
      matter_id bigint not null references matter (id),
      timekeeper_id bigint references timekeeper (id),
      expense_date date not null,
      expense_code text,
      description text not null default '',
      quantity numeric(10, 2) not null,
      unit_cost_cents bigint not null,
      amount_cents bigint not null,
      status text not null default 'draft',
      released_at timestamptz,
      active boolean not null default true,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint expense_expense_id_key unique (expense_id),
      constraint expense_expense_id_format check (expense_id ~ '^[^[:space:]|]{1,64}$'),
      constraint expense_quantity_positive check (quantity > 0),
      constraint expense_unit_cost_nonnegative check (unit_cost_cents >= 0),
      -- numeric round() is half away from zero, the same rule as the application's money code.
      constraint expense_amount_consistent check (amount_cents = round(quantity * unit_cost_cents)),
      constraint expense_code_length check (length(expense_code) <= 20),
      constraint expense_status_valid check (status in ('draft', 'released', 'billed', 'written_off', 'held')),
      constraint expense_released_has_time check (status = 'draft' or released_at is not null)
    )`.execute(db);
  await sql`create index expense_matter_date_idx on expense (matter_id, expense_date)`.execute(db);

  // Recorded work is never overwritten once billed: billing edits live on invoice lines.
  await sql`
    create function refuse_billed_work_edit() returns trigger language plpgsql as $$
    begin
      if old.status = 'billed' and (
        to_jsonb(new) - array['status', 'version', 'updated_at', 'active']
        is distinct from to_jsonb(old) - array['status', 'version', 'updated_at', 'active']
      ) then
        raise exception 'recorded values of billed work cannot be changed (% %)', tg_table_name, old.id
          using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger time_entry_billed_guard before update on time_entry
      for each row execute function refuse_billed_work_edit()`.execute(db);
  await sql`
    create trigger expense_billed_guard before update on expense
      for each row execute function refuse_billed_work_edit()`.execute(db);

  await sql`
    create table user_session (
      id text primary key,
      user_id bigint not null references app_user (id),
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index user_session_user_idx on user_session (user_id)`.execute(db);

  await sql`
    create table api_token (
      id bigint generated always as identity primary key,
      user_id bigint not null references app_user (id),
      name text not null,
      token_hash text not null,
      token_prefix text not null,
      scopes text[] not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz,
      constraint api_token_hash_key unique (token_hash),
      constraint api_token_scopes_valid check (
        cardinality(scopes) > 0
        and scopes <@ array['read', 'write', 'import', 'export', 'submit', 'admin']::text[]
      )
    )`.execute(db);

  await sql`
    create table audit_event (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null,
      actor_user_id bigint,
      actor text not null,
      action text not null,
      entity_type text not null,
      entity_id text,
      before jsonb,
      after jsonb,
      reason text,
      prev_hash text,
      hash text not null
    )`.execute(db);
  await sql`create index audit_event_entity_idx on audit_event (entity_type, entity_id)`.execute(
    db,
  );
  // Append-only: the database itself refuses to rewrite history.
  await sql`
    create function refuse_audit_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit events are append-only' using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`
    create trigger audit_event_append_only before update or delete on audit_event
      for each row execute function refuse_audit_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_event',
    'api_token',
    'user_session',
    'expense',
    'time_entry',
    'rate',
    'matter_timekeeper',
    'matter_member',
    'matter',
    'app_user',
    'timekeeper',
    'client',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop function if exists refuse_audit_change()`.execute(db);
  await sql`drop function if exists refuse_billed_work_edit()`.execute(db);
}
