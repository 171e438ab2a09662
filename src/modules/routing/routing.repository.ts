import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB, RoutingTableTable } from '../../db/schema.js';
import type { Actor } from '../../domain/policy.js';
import { visibleMatterIds } from '../matters/matter-access.js';

/** Advisory-lock classes (first key) for routing table writes. */
const LOCK_TABLE_KEY = 7261010;
const LOCK_ACTIVATION = 7261011;

function versions(db: Kysely<DB>) {
  return db
    .selectFrom('routing_table as rt')
    .leftJoin('app_user as importer', 'importer.id', 'rt.imported_by')
    .leftJoin('app_user as activator', 'activator.id', 'rt.activated_by')
    .select([
      'rt.id',
      'rt.table_key',
      sql<string>`rt.document ->> 'name'`.as('name'),
      'rt.version',
      'rt.status',
      sql<number>`jsonb_array_length(rt.document -> 'rules')`.as('rule_count'),
      'importer.email as imported_by',
      'rt.imported_at',
      'activator.email as activated_by',
      'rt.activated_at',
    ]);
}

export type RoutingTableRow = NonNullable<Awaited<ReturnType<typeof findVersion>>>;

/** Every version in key and version order. */
export function listVersions(db: Kysely<DB>) {
  return versions(db).orderBy('rt.table_key').orderBy('rt.version').execute();
}

export function findVersion(db: Kysely<DB>, key: string, version: number) {
  return versions(db)
    .where('rt.table_key', '=', key)
    .where('rt.version', '=', version)
    .executeTakeFirst();
}

export function findLatestVersion(db: Kysely<DB>, key: string) {
  return versions(db)
    .where('rt.table_key', '=', key)
    .orderBy('rt.version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The active table, if any (the partial unique index allows at most one). */
export function findActiveVersion(db: Kysely<DB>) {
  return versions(db).where('rt.status', '=', 'active').executeTakeFirst();
}

export function findSource(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('routing_table')
    .select(['source_text', 'document'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** The active table's parsed document with its key and version, or undefined. */
export function findActiveDocument(db: Kysely<DB>) {
  return db
    .selectFrom('routing_table')
    .select(['table_key', 'version', 'document'])
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** Locks a table key until the transaction ends, so concurrent imports number versions in turn. */
export async function lockTableKey(trx: Kysely<DB>, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${LOCK_TABLE_KEY}, hashtext(${key}))`.execute(trx);
}

/** Serialises activations: there is one active table firm-wide, so one activation at a time. */
export async function lockActivation(trx: Kysely<DB>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${LOCK_ACTIVATION})`.execute(trx);
}

export async function latestVersionNumber(db: Kysely<DB>, key: string): Promise<number> {
  const row = await db
    .selectFrom('routing_table')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('table_key', '=', key)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

export function insertVersion(db: Kysely<DB>, values: Insertable<RoutingTableTable>) {
  return db.insertInto('routing_table').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function retireVersion(db: Kysely<DB>, id: number): Promise<void> {
  await db.updateTable('routing_table').set({ status: 'retired' }).where('id', '=', id).execute();
}

export async function markActive(db: Kysely<DB>, id: number, by: number | null, now: Date) {
  await db
    .updateTable('routing_table')
    .set({ status: 'active', activated_by: by, activated_at: now })
    .where('id', '=', id)
    .execute();
}

/** The active users among `emails`, compared without regard to case. */
export function findActiveUsersByEmail(db: Kysely<DB>, emails: readonly string[]) {
  if (emails.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('app_user')
    .select(['id', 'email'])
    .where(
      sql<string>`lower(email)`,
      'in',
      emails.map((e) => e.toLowerCase()),
    )
    .where('active', '=', true)
    .execute();
}

/** What routing reads of a matter: its attributes and the people it names. */
export function findRoutingMatter(db: Kysely<DB>, matterId: number) {
  return matterForRouting(db).where('m.id', '=', matterId).executeTakeFirst();
}

/** A matter the actor may see, by code, with what routing reads of it. */
export function findVisibleRoutingMatter(db: Kysely<DB>, actor: Actor, code: string) {
  return matterForRouting(db)
    .where('m.matter_code', '=', code)
    .where('m.id', 'in', visibleMatterIds(db, actor, 'record'))
    .executeTakeFirst();
}

function matterForRouting(db: Kysely<DB>) {
  return db
    .selectFrom('matter as m')
    .innerJoin('client as c', 'c.id', 'm.client_id')
    .select([
      'm.id',
      'm.matter_code',
      'c.client_code',
      'm.practice_area',
      'm.office',
      'm.jurisdiction',
      'm.fee_arrangement',
      'm.responsible_attorney_id',
      'm.billing_partner_id',
      'm.billing_coordinator_id',
    ]);
}

/** An active user by id. */
export function findActiveUser(db: Kysely<DB>, id: number) {
  return activeUsers(db).where('id', '=', id).executeTakeFirst();
}

/** The active user linked to a timekeeper (the lowest id, should two be linked). */
export function findActiveUserOfTimekeeper(db: Kysely<DB>, timekeeperId: number) {
  return activeUsers(db).where('timekeeper_id', '=', timekeeperId).executeTakeFirst();
}

/** The first active legal ops user, so the choice never depends on who is around. */
export function findFirstLegalOps(db: Kysely<DB>) {
  return activeUsers(db)
    .where(sql<boolean>`'legal_ops' = any(roles)`)
    .executeTakeFirst();
}

export function findActiveUserByEmail(db: Kysely<DB>, email: string) {
  return activeUsers(db)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

function activeUsers(db: Kysely<DB>) {
  return db
    .selectFrom('app_user')
    .select(['id', 'email'])
    .where('active', '=', true)
    .orderBy('id')
    .limit(1);
}
