import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: this migration must never import application code.

// Failed sign-ins, counted per email address and per IP address to lock out password guessing
// for a while. Rows older than the counting window are deleted as new failures arrive; the
// audit trail keeps the lasting record.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sign_in_failure (
      id bigint generated always as identity primary key,
      key text not null check (key ~ '^(email|ip):'),
      failed_at timestamptz not null
    )`.execute(db);
  await sql`create index sign_in_failure_key_time on sign_in_failure (key, failed_at)`.execute(db);
  await sql`create index sign_in_failure_time on sign_in_failure (failed_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table sign_in_failure`.execute(db);
}
