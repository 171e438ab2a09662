import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: this migration must never import application code.

export async function up(db: Kysely<any>): Promise<void> {
  // Row triggers do not fire on TRUNCATE; without this, emptying the table would leave an
  // empty chain that verifies as intact.
  await sql`
    create trigger audit_event_no_truncate before truncate on audit_event
      for each statement execute function refuse_audit_change()`.execute(db);
  // Date-bounded exports and listings (SIEM feeds) read by time.
  await sql`create index audit_event_occurred_at_idx on audit_event (occurred_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists audit_event_occurred_at_idx`.execute(db);
  await sql`drop trigger if exists audit_event_no_truncate on audit_event`.execute(db);
}
