import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** Lookups of records by the codes people use for them (client code, timekeeper code, email). */

export function findClientByCode(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('client')
    .select(['id', 'client_code', 'currency', 'active'])
    .where('client_code', '=', code)
    .executeTakeFirst();
}

export function findTimekeeperByCode(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('timekeeper')
    .select(['id', 'timekeeper_code', 'currency', 'standard_rate_cents', 'active'])
    .where('timekeeper_code', '=', code)
    .executeTakeFirst();
}

export function findUserIdByEmail(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'email', 'active'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

/** Escapes LIKE wildcards so a search box matches its text literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
