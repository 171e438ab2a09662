import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** The user columns authentication needs. */
export interface AuthUserRow {
  id: number;
  email: string;
  name: string;
  roles: string[];
  timekeeper_id: number | null;
  password_hash: string | null;
  active: boolean;
}

const USER_COLUMNS = [
  'id',
  'email',
  'name',
  'roles',
  'timekeeper_id',
  'password_hash',
  'active',
] as const;

export function findUserByEmail(db: Kysely<DB>, email: string): Promise<AuthUserRow | undefined> {
  return db
    .selectFrom('app_user')
    .select(USER_COLUMNS)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export async function insertSession(
  db: Kysely<DB>,
  session: { id: string; userId: number; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('user_session')
    .values({
      id: session.id,
      user_id: session.userId,
      created_at: session.now,
      last_seen_at: session.now,
      expires_at: session.expiresAt,
    })
    .execute();
}

export function findSessionUser(db: Kysely<DB>, sessionId: string) {
  return db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select(['s.id as session_id', 's.created_at', 's.last_seen_at', 's.expires_at'])
    .select(['u.id', 'u.email', 'u.name', 'u.roles', 'u.timekeeper_id', 'u.active'])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
}

export async function touchSession(
  db: Kysely<DB>,
  sessionId: string,
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await db
    .updateTable('user_session')
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where('id', '=', sessionId)
    .execute();
}

export async function deleteSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.deleteFrom('user_session').where('id', '=', sessionId).execute();
}

export function findTokenUser(db: Kysely<DB>, tokenHash: string) {
  return db
    .selectFrom('api_token as t')
    .innerJoin('app_user as u', 'u.id', 't.user_id')
    .select(['t.id as token_id', 't.scopes', 't.expires_at', 't.revoked_at', 't.last_used_at'])
    .select(['u.id', 'u.email', 'u.name', 'u.roles', 'u.timekeeper_id', 'u.active'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function markTokenUsed(db: Kysely<DB>, tokenId: number, now: Date): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', tokenId).execute();
}

export function insertApiToken(
  db: Kysely<DB>,
  token: {
    userId: number;
    name: string;
    hash: string;
    prefix: string;
    scopes: string[];
    expiresAt: Date | null;
  },
) {
  return db
    .insertInto('api_token')
    .values({
      user_id: token.userId,
      name: token.name,
      token_hash: token.hash,
      token_prefix: token.prefix,
      scopes: token.scopes,
      expires_at: token.expiresAt,
    })
    .returning([
      'id',
      'name',
      'token_prefix',
      'scopes',
      'created_at',
      'expires_at',
      'revoked_at',
      'last_used_at',
    ])
    .executeTakeFirstOrThrow();
}

export function listApiTokens(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom('api_token')
    .select([
      'id',
      'name',
      'token_prefix',
      'scopes',
      'created_at',
      'expires_at',
      'revoked_at',
      'last_used_at',
    ])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
}

export async function revokeApiToken(
  db: Kysely<DB>,
  userId: number,
  tokenId: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('api_token')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Failure times of each key since `since`, newest first, at most `limit` per call. */
export function recentSignInFailures(
  db: Kysely<DB>,
  keys: string[],
  since: Date,
  limit: number,
): Promise<{ key: string; failed_at: Date }[]> {
  return db
    .selectFrom('sign_in_failure')
    .select(['key', 'failed_at'])
    .where('key', 'in', keys)
    .where('failed_at', '>', since)
    .orderBy('failed_at', 'desc')
    .limit(limit)
    .execute();
}

/** Records one failed sign-in under each key and forgets failures older than `forgetBefore`. */
export async function recordSignInFailure(
  db: Kysely<DB>,
  keys: string[],
  now: Date,
  forgetBefore: Date,
): Promise<void> {
  await db.deleteFrom('sign_in_failure').where('failed_at', '<', forgetBefore).execute();
  await db
    .insertInto('sign_in_failure')
    .values(keys.map((key) => ({ key, failed_at: now })))
    .execute();
}

/** Forgets the failures of one key (after a successful sign-in). */
export async function clearSignInFailures(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failure').where('key', '=', key).execute();
}
