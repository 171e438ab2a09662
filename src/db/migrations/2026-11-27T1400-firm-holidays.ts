import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: this migration must never import application code.

// The firm's holidays: days that business-day SLAs skip, managed by admins and legal ops.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table firm_holiday (
      holiday_date date primary key,
      name text not null,
      created_by bigint references app_user (id),
      created_at timestamptz not null default now(),
      constraint firm_holiday_name_present check (length(trim(name)) > 0)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table firm_holiday`.execute(db);
}
