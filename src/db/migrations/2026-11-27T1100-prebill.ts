import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: this migration must never import application code.

// Pre-bill review: lines that leave an invoice (held for the next cycle, moved to another
// matter), invoice-level write-downs as their own lines, questions sent back to timekeepers, and
// the write-down approval thresholds as configuration.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table invoice_line add column moved_to_matter_id bigint references matter (id)`.execute(
    db,
  );
  // What an IF/IE line stands for when a reviewer added it (write_down, write_up, discount); null
  // for the bill run's own lines, so the fee cap line is told apart from a reviewer's discount.
  await sql`alter table invoice_line add column purpose text`.execute(db);
  await sql`alter table invoice_line drop constraint invoice_line_disposition_valid`.execute(db);
  await sql`
    alter table invoice_line add constraint invoice_line_disposition_valid check (
      disposition in ('bill', 'no_charge', 'exclude', 'hold', 'moved')
    )`.execute(db);
  await sql`
    alter table invoice_line add constraint invoice_line_moved_target check (
      (disposition = 'moved') = (moved_to_matter_id is not null)
    )`.execute(db);
  await sql`
    alter table invoice_line add constraint invoice_line_purpose_valid check (
      purpose is null or (purpose in ('write_down', 'write_up', 'discount') and line_type in ('IF', 'IE'))
    )`.execute(db);
  // The bill run asks, per entry or expense, whether a line held, moved or excluded it.
  await sql`
    create index invoice_line_left_time_entry_idx on invoice_line (time_entry_id)
      where time_entry_id is not null and disposition in ('exclude', 'hold', 'moved')`.execute(db);
  await sql`
    create index invoice_line_left_expense_idx on invoice_line (expense_id)
      where expense_id is not null and disposition in ('exclude', 'hold', 'moved')`.execute(db);
  await sql`create index invoice_adjustment_requested_idx on invoice_adjustment (requested_at)`.execute(
    db,
  );

  await sql`
    insert into adjustment_reason (code, label, requires_note) values
      ('timekeeper_correction', 'Corrected by the timekeeper', false),
      ('wrong_matter', 'Recorded on the wrong matter', false),
      ('next_cycle', 'Billed in the next cycle', false)
    on conflict (code) do nothing`.execute(db);

  // One row: when a write-down needs the next approval level. Null turns a threshold off.
  await sql`
    create table prebill_setting (
      id integer primary key default 1,
      write_down_approval_amount_cents bigint,
      write_down_approval_percent numeric(5, 2),
      version integer not null default 1,
      updated_by bigint references app_user (id),
      updated_at timestamptz not null default now(),
      constraint prebill_setting_single check (id = 1),
      constraint prebill_setting_amount_nonnegative check (write_down_approval_amount_cents >= 0),
      constraint prebill_setting_percent_range check (write_down_approval_percent between 0 and 100)
    )`.execute(db);
  await sql`
    insert into prebill_setting (id, write_down_approval_amount_cents, write_down_approval_percent)
      values (1, 50000, 10.00)`.execute(db);

  await sql`
    create table invoice_question (
      id bigint generated always as identity primary key,
      invoice_id bigint not null references invoice (id),
      invoice_line_id bigint references invoice_line (id),
      time_entry_id bigint references time_entry (id),
      timekeeper_id bigint not null references timekeeper (id),
      assignee_user_id bigint not null references app_user (id),
      question text not null,
      answer text,
      state text not null default 'open',
      asked_by bigint references app_user (id),
      asked_at timestamptz not null,
      answered_by bigint references app_user (id),
      answered_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint invoice_question_state_valid check (state in ('open', 'answered', 'withdrawn')),
      constraint invoice_question_text check (length(trim(question)) between 1 and 4000),
      constraint invoice_question_answered check (
        (state = 'answered') = (answered_at is not null and answer is not null)
      )
    )`.execute(db);
  await sql`create index invoice_question_assignee_idx on invoice_question (assignee_user_id, state)`.execute(
    db,
  );
  await sql`create index invoice_question_invoice_idx on invoice_question (invoice_id, state)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists invoice_question`.execute(db);
  await sql`drop table if exists prebill_setting`.execute(db);
  await sql`delete from adjustment_reason where code in ('timekeeper_correction', 'wrong_matter', 'next_cycle')`.execute(
    db,
  );
  await sql`drop index if exists invoice_adjustment_requested_idx`.execute(db);
  await sql`drop index if exists invoice_line_left_expense_idx`.execute(db);
  await sql`drop index if exists invoice_line_left_time_entry_idx`.execute(db);
  await sql`alter table invoice_line drop constraint invoice_line_purpose_valid`.execute(db);
  await sql`alter table invoice_line drop constraint invoice_line_moved_target`.execute(db);
  await sql`update invoice_line set disposition = 'exclude' where disposition = 'moved'`.execute(
    db,
  );
  await sql`alter table invoice_line drop constraint invoice_line_disposition_valid`.execute(db);
  await sql`
    alter table invoice_line add constraint invoice_line_disposition_valid check (
      disposition in ('bill', 'no_charge', 'exclude', 'hold')
    )`.execute(db);
  await sql`alter table invoice_line drop column purpose`.execute(db);
  await sql`alter table invoice_line drop column moved_to_matter_id`.execute(db);
}
