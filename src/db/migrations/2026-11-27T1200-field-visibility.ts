import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Field-level rules: per role, whether it sees rates and money amounts of work, and write-down
 * and adjustment reasons. A user sees a field when any of their roles may. Timekeepers see
 * neither by default; the billing side sees both.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table field_visibility (
      role text primary key,
      rates boolean not null,
      reasons boolean not null,
      version integer not null default 1,
      updated_by bigint references app_user (id),
      updated_at timestamptz not null default now(),
      constraint field_visibility_role_valid check (
        role in ('admin', 'legal_ops', 'billing_coordinator', 'approver', 'timekeeper')
      )
    )`.execute(db);
  await sql`
    insert into field_visibility (role, rates, reasons) values
      ('admin', true, true),
      ('legal_ops', true, true),
      ('billing_coordinator', true, true),
      ('approver', true, true),
      ('timekeeper', false, false)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists field_visibility`.execute(db);
}
