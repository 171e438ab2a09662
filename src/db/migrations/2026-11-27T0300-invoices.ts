import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: this migration must never import application code.

const STATES = `'draft', 'in_review', 'exception', 'waiting_on_timekeeper', 'ready_for_approval',
  'approved', 'submitted', 'accepted', 'rejected', 'paid', 'on_hold', 'void'`;

export async function up(db: Kysely<any>): Promise<void> {
  // Invoice numbers come from a pattern with a counter per pattern key (e.g. per client and year).
  await sql`
    create table invoice_counter (
      counter_key text primary key,
      last_value integer not null default 0
    )`.execute(db);

  await sql
    .raw(
      `
    create table invoice (
      id bigint generated always as identity primary key,
      invoice_number text not null,
      matter_id bigint not null references matter (id),
      client_id bigint not null references client (id),
      period_start date not null,
      period_end date not null,
      invoice_date date,
      currency text not null,
      fee_arrangement text not null,
      state text not null default 'draft',
      previous_state text,
      approval_level integer not null default 0,
      owner_role text,
      owner_user_id bigint references app_user (id),
      stage_entered_at timestamptz not null,
      urgent boolean not null default false,
      needs_revaluation boolean not null default false,
      last_bill_run_at timestamptz not null,
      outcome_amount_cents bigint,
      worked_fees_cents bigint not null default 0,
      fees_cents bigint not null default 0,
      expenses_cents bigint not null default 0,
      adjustments_cents bigint not null default 0,
      total_cents bigint not null default 0,
      rework_count integer not null default 0,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint invoice_number_key unique (invoice_number),
      constraint invoice_number_length check (length(invoice_number) between 1 and 20),
      constraint invoice_period_ordered check (period_end >= period_start),
      constraint invoice_state_valid check (state in (${STATES})),
      constraint invoice_previous_state_valid check (previous_state is null or previous_state in (${STATES})),
      constraint invoice_fee_arrangement_valid check (fee_arrangement in ('hourly', 'flat', 'contingency', 'capped')),
      constraint invoice_approval_level_nonnegative check (approval_level >= 0),
      constraint invoice_total_consistent check (total_cents = fees_cents + expenses_cents + adjustments_cents),
      constraint invoice_rework_nonnegative check (rework_count >= 0)
    )`,
    )
    .execute(db);
  // One open invoice per matter and period: a second bill run refreshes it, and two bill runs
  // at the same moment cannot both create one.
  await sql`
    create unique index invoice_open_per_matter_period on invoice (matter_id, period_start)
      where state in ('draft', 'in_review', 'exception', 'waiting_on_timekeeper', 'ready_for_approval', 'on_hold')`.execute(
    db,
  );
  await sql`create index invoice_state_idx on invoice (state, stage_entered_at)`.execute(db);
  await sql`create index invoice_owner_idx on invoice (owner_user_id, state)`.execute(db);

  // Lines carry the billed values; the worked values are what the time entry recorded.
  await sql`
    create table invoice_line (
      id bigint generated always as identity primary key,
      invoice_id bigint not null references invoice (id),
      line_number integer not null,
      line_type text not null,
      time_entry_id bigint references time_entry (id),
      expense_id bigint references expense (id),
      work_date date,
      timekeeper_id bigint references timekeeper (id),
      task_code text,
      activity_code text,
      expense_code text,
      description text not null default '',
      units numeric(10, 2) not null,
      unit_cost_cents bigint not null,
      adjustment_cents bigint not null default 0,
      amount_cents bigint not null,
      worked_units numeric(10, 2),
      worked_unit_cost_cents bigint,
      worked_amount_cents bigint,
      disposition text not null default 'bill',
      new_since_last_run boolean not null default false,
      internal_note text,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint invoice_line_number_key unique (invoice_id, line_number),
      constraint invoice_line_type_valid check (line_type in ('F', 'E', 'IF', 'IE')),
      constraint invoice_line_source check (
        (line_type = 'F' and expense_id is null)
        or (line_type = 'E' and time_entry_id is null and expense_id is not null)
        or (line_type in ('IF', 'IE') and time_entry_id is null and expense_id is null)
      ),
      constraint invoice_line_units_nonnegative check (units >= 0),
      -- LEDES arithmetic holds on every stored line: units × unit cost + adjustment = total.
      constraint invoice_line_arithmetic check (amount_cents = round(units * unit_cost_cents) + adjustment_cents),
      constraint invoice_line_disposition_valid check (disposition in ('bill', 'no_charge', 'exclude', 'hold'))
    )`.execute(db);
  // A time entry or expense is on at most one live line anywhere.
  await sql`
    create unique index invoice_line_time_entry_key on invoice_line (time_entry_id)
      where time_entry_id is not null and disposition in ('bill', 'no_charge')`.execute(db);
  await sql`
    create unique index invoice_line_expense_key on invoice_line (expense_id)
      where expense_id is not null and disposition in ('bill', 'no_charge')`.execute(db);

  // Every difference between worked and billed values, and every write-down, write-up or discount.
  await sql`
    create table invoice_adjustment (
      id bigint generated always as identity primary key,
      invoice_id bigint not null references invoice (id),
      invoice_line_id bigint references invoice_line (id),
      kind text not null,
      field text,
      before jsonb,
      after jsonb,
      amount_cents bigint not null default 0,
      reason_code text not null,
      note text,
      state text not null default 'applied',
      requested_by bigint references app_user (id),
      requested_at timestamptz not null,
      decided_by bigint references app_user (id),
      decided_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint invoice_adjustment_kind_valid check (
        kind in ('edit', 'write_down', 'write_up', 'discount', 'guideline', 'fee_cap', 'flat_fee', 'client_reduction')
      ),
      constraint invoice_adjustment_state_valid check (state in ('pending', 'applied', 'rejected')),
      -- A pending adjustment awaits a decision; a rejected one records who decided and when.
      constraint invoice_adjustment_decision_recorded check (
        (state <> 'pending' or decided_at is null) and (state <> 'rejected' or decided_at is not null)
      )
    )`.execute(db);
  await sql`create index invoice_adjustment_invoice_idx on invoice_adjustment (invoice_id)`.execute(
    db,
  );

  // Configurable reason codes for write-downs; 'other' needs a note.
  await sql`
    create table adjustment_reason (
      code text primary key,
      label text not null,
      requires_note boolean not null default false,
      active boolean not null default true
    )`.execute(db);
  await sql`
    insert into adjustment_reason (code, label, requires_note) values
      ('client_relationship', 'Client relationship', false),
      ('inefficiency', 'Inefficiency or duplicated effort', false),
      ('training', 'Junior timekeeper training time', false),
      ('fee_agreement', 'Fee agreement or cap', false),
      ('guideline', 'Client billing guideline', false),
      ('excessive_time', 'Time excessive for the task', false),
      ('administrative', 'Administrative or clerical work', false),
      ('courtesy_discount', 'Courtesy discount', false),
      ('billing_error', 'Billing error', false),
      ('other', 'Other (explain in the note)', true)`.execute(db);

  // Every stage an invoice enters and leaves, so cycle time, rework and aging are exact.
  await sql
    .raw(
      `
    create table invoice_stage_event (
      id bigint generated always as identity primary key,
      invoice_id bigint not null references invoice (id),
      from_state text,
      to_state text not null,
      approval_level integer not null default 0,
      owner_role text,
      owner_user_id bigint references app_user (id),
      actor_user_id bigint references app_user (id),
      occurred_at timestamptz not null,
      reason text,
      rework boolean not null default false,
      trigger text,
      constraint invoice_stage_event_to_valid check (to_state in (${STATES}))
    )`,
    )
    .execute(db);
  await sql`create index invoice_stage_event_invoice_idx on invoice_stage_event (invoice_id, occurred_at)`.execute(
    db,
  );

  // Routing tables are versioned documents like guidelines; one is active.
  await sql`
    create table routing_table (
      id bigint generated always as identity primary key,
      table_key text not null,
      version integer not null,
      source_text text not null,
      document jsonb not null,
      status text not null default 'draft',
      imported_by bigint references app_user (id),
      imported_at timestamptz not null default now(),
      activated_by bigint references app_user (id),
      activated_at timestamptz,
      constraint routing_table_version_key unique (table_key, version),
      constraint routing_table_status_valid check (status in ('draft', 'active', 'retired'))
    )`.execute(db);
  await sql`create unique index routing_table_one_active on routing_table ((true)) where status = 'active'`.execute(
    db,
  );

  // Exceptions may now stand on an invoice (invoice-level rules, portal rejections).
  await sql`alter table guideline_exception add column invoice_id bigint references invoice (id)`.execute(
    db,
  );
  await sql`alter table guideline_exception drop constraint guideline_exception_entity_valid`.execute(
    db,
  );
  await sql`
    alter table guideline_exception add constraint guideline_exception_entity_valid check (
      (entity_type = 'time_entry' and time_entry_id is not null and expense_id is null)
      or (entity_type = 'expense' and expense_id is not null and time_entry_id is null)
      or (entity_type = 'invoice' and invoice_id is not null and time_entry_id is null and expense_id is null)
    )`.execute(db);
  await sql`create index guideline_exception_invoice_idx on guideline_exception (invoice_id) where invoice_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists guideline_exception_invoice_idx`.execute(db);
  await sql`alter table guideline_exception drop constraint guideline_exception_entity_valid`.execute(
    db,
  );
  await sql`delete from guideline_exception where entity_type = 'invoice'`.execute(db);
  await sql`
    alter table guideline_exception add constraint guideline_exception_entity_valid check (
      (entity_type = 'time_entry' and time_entry_id is not null and expense_id is null)
      or (entity_type = 'expense' and expense_id is not null and time_entry_id is null)
    )`.execute(db);
  await sql`alter table guideline_exception drop column invoice_id`.execute(db);
  for (const table of [
    'routing_table',
    'invoice_stage_event',
    'adjustment_reason',
    'invoice_adjustment',
    'invoice_line',
    'invoice',
    'invoice_counter',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
