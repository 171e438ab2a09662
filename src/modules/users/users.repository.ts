import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { AppUserTable, DB } from '../../db/schema.js';
import { containsPattern } from '../shared/references.repository.js';
import type { UserListQuery } from './users.schemas.js';

/** Users as the API shows them; the password hash never leaves this file. */
function selectUsers(db: Kysely<DB>) {
  return db
    .selectFrom('app_user as u')
    .leftJoin('timekeeper as tk', 'tk.id', 'u.timekeeper_id')
    .select([
      'u.id',
      'u.email',
      'u.name',
      'u.roles',
      'u.timekeeper_id',
      'tk.timekeeper_code',
      'u.active',
      'u.version',
      'u.created_at',
      'u.updated_at',
    ])
    .select((eb) => eb('u.password_hash', 'is not', null).as('has_password'));
}

export type UserRow = NonNullable<Awaited<ReturnType<typeof findUserById>>>;

export function findUserById(db: Kysely<DB>, id: number) {
  return selectUsers(db).where('u.id', '=', id).executeTakeFirst();
}

/** One page of users in id order, plus one row to tell whether more follow. */
export function listUsers(db: Kysely<DB>, query: UserListQuery, afterId: number | null) {
  let q = selectUsers(db)
    .orderBy('u.id')
    .limit(query.limit + 1);
  if (afterId !== null) q = q.where('u.id', '>', afterId);
  if (query.q) {
    const pattern = containsPattern(query.q);
    q = q.where((eb) => eb.or([eb('u.email', 'ilike', pattern), eb('u.name', 'ilike', pattern)]));
  }
  if (query.role) q = q.where(sql<boolean>`${query.role} = any(u.roles)`);
  if (query.active) q = q.where('u.active', '=', query.active === 'true');
  return q.execute();
}

export async function insertUser(db: Kysely<DB>, values: Insertable<AppUserTable>) {
  const { id } = await db
    .insertInto('app_user')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Stores a new password hash and bumps the version, so a concurrent edit sees the change. */
export async function setPasswordHash(
  db: Kysely<DB>,
  id: number,
  hash: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ password_hash: hash, version: sql`version + 1`, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Ends every session of a user, so an old password stops working everywhere at once. */
export async function deleteSessions(db: Kysely<DB>, userId: number): Promise<void> {
  await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
}
