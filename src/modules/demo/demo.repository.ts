import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/** How much is in the database already: the demo loads only into an empty firm. */
export async function countFirmRows(db: Kysely<DB>): Promise<{ clients: number; users: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('client').select(eb.fn.countAll<string>().as('n')).as('clients'),
      eb.selectFrom('app_user').select(eb.fn.countAll<string>().as('n')).as('users'),
    ])
    .executeTakeFirstOrThrow();
  return { clients: Number(row.clients), users: Number(row.users) };
}

/** The e-mails among `emails` that belong to active users (compared without case). */
export async function findActiveUserEmails(db: Kysely<DB>, emails: readonly string[]) {
  const rows = await db
    .selectFrom('app_user')
    .select('email')
    .where('active', '=', true)
    .where(sql<boolean>`lower(email) = any(${emails.map((e) => e.toLowerCase())})`)
    .execute();
  return rows.map((r) => r.email);
}

/** Gives the users with these e-mails one password hash; returns how many were changed. */
export async function setPasswordHash(
  db: Kysely<DB>,
  emails: readonly string[],
  passwordHash: string,
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable('app_user')
    .set((eb) => ({
      password_hash: passwordHash,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where(sql<boolean>`lower(email) = any(${emails.map((e) => e.toLowerCase())})`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Lets the users with these e-mails through the matter's ethical wall; returns rows added. */
export async function addMatterMembers(
  db: Kysely<DB>,
  matterCode: string,
  emails: readonly string[],
): Promise<number> {
  const result = await db
    .insertInto('matter_member')
    .columns(['matter_id', 'user_id'])
    .expression((eb) =>
      eb
        .selectFrom('matter as m')
        .innerJoin('app_user as u', (join) =>
          join.on(sql<boolean>`lower(u.email) = any(${emails.map((e) => e.toLowerCase())})`),
        )
        .select(['m.id as matter_id', 'u.id as user_id'])
        .where('m.matter_code', '=', matterCode),
    )
    .onConflict((oc) => oc.columns(['matter_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
