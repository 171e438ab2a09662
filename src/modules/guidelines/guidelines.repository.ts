import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB, GuidelineVersionTable } from '../../db/schema.js';
import type { Guideline } from '../../domain/guidelines/index.js';
import type { GuidelineListQuery } from './guidelines.schemas.js';

/** Advisory-lock classes (first key) for guideline writes; the second key names the scope. */
const LOCK_GUIDELINE_KEY = 7261002;
const LOCK_CLIENT_SCOPE = 7261003;

function versions(db: Kysely<DB>) {
  return db
    .selectFrom('guideline_version as gv')
    .leftJoin('client as c', 'c.id', 'gv.client_id')
    .leftJoin('app_user as importer', 'importer.id', 'gv.imported_by')
    .leftJoin('app_user as activator', 'activator.id', 'gv.activated_by')
    .select((eb) => [
      'gv.id',
      'gv.guideline_key',
      'gv.client_id',
      eb.fn.coalesce('c.client_code', sql.lit('*')).as('client_code'),
      'gv.version',
      'gv.name',
      'gv.effective_from',
      'gv.status',
      sql<number>`jsonb_array_length(gv.document -> 'rules')`.as('rule_count'),
      'importer.email as imported_by',
      'gv.imported_at',
      'activator.email as activated_by',
      'gv.activated_at',
      'gv.retired_at',
    ]);
}

export type GuidelineVersionRow = NonNullable<Awaited<ReturnType<typeof findVersion>>>;

/** Versions in guideline-key and version order, filtered by client code ("*" = firm-wide). */
export function listVersions(db: Kysely<DB>, query: GuidelineListQuery) {
  let q = versions(db).orderBy('gv.guideline_key').orderBy('gv.version');
  if (query.client === '*') q = q.where('gv.client_id', 'is', null);
  else if (query.client !== undefined) q = q.where('c.client_code', '=', query.client);
  if (query.status !== undefined) q = q.where('gv.status', '=', query.status);
  if (query.key !== undefined) q = q.where('gv.guideline_key', '=', query.key);
  return q.execute();
}

export function findVersion(db: Kysely<DB>, key: string, version: number) {
  return versions(db)
    .where('gv.guideline_key', '=', key)
    .where('gv.version', '=', version)
    .executeTakeFirst();
}

export function findLatestVersion(db: Kysely<DB>, key: string) {
  return versions(db)
    .where('gv.guideline_key', '=', key)
    .orderBy('gv.version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The active version for a client (null = firm-wide). */
export function findActiveVersion(db: Kysely<DB>, clientId: number | null) {
  return versions(db)
    .where('gv.status', '=', 'active')
    .where('gv.client_id', clientId === null ? 'is' : '=', clientId)
    .executeTakeFirst();
}

/** The guideline id a client's versions go by: the active one's, else the latest imported. */
export async function currentKeyOfClient(db: Kysely<DB>, clientId: number | null) {
  const row = await db
    .selectFrom('guideline_version')
    .select('guideline_key')
    .where('client_id', clientId === null ? 'is' : '=', clientId)
    .orderBy(sql`status = 'active'`, 'desc')
    .orderBy('imported_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.guideline_key ?? null;
}

export function findSource(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('guideline_version')
    .select(['source_text', 'document'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Locks a guideline key until the transaction ends, so concurrent imports number versions in turn. */
export async function lockGuidelineKey(trx: Kysely<DB>, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${LOCK_GUIDELINE_KEY}, hashtext(${key}))`.execute(trx);
}

/** Locks a client's guideline scope (null = firm-wide), so only one activation runs at a time. */
export async function lockClientScope(trx: Kysely<DB>, clientId: number | null): Promise<void> {
  await sql`select pg_advisory_xact_lock(${LOCK_CLIENT_SCOPE}, ${clientId ?? 0}::int)`.execute(trx);
}

/** The key's versions so far: the highest number and the client scope it belongs to. */
export function keyHistory(db: Kysely<DB>, key: string) {
  return db
    .selectFrom('guideline_version')
    .select(['version', 'client_id'])
    .where('guideline_key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function insertVersion(db: Kysely<DB>, values: Insertable<GuidelineVersionTable>) {
  return db
    .insertInto('guideline_version')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function retireVersion(db: Kysely<DB>, id: number, now: Date): Promise<void> {
  await db
    .updateTable('guideline_version')
    .set({ status: 'retired', retired_at: now })
    .where('id', '=', id)
    .execute();
}

export async function markActive(db: Kysely<DB>, id: number, by: number | null, now: Date) {
  await db
    .updateTable('guideline_version')
    .set({ status: 'active', activated_by: by, activated_at: now, retired_at: null })
    .where('id', '=', id)
    .execute();
}

/** Every active guideline document: the firm-wide one and one per client id. */
export async function activeGuidelines(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('guideline_version')
    .select(['client_id', 'version', 'document'])
    .where('status', '=', 'active')
    .execute();
  let firmWide: { guideline: Guideline; version: number } | null = null;
  const byClient = new Map<number, { guideline: Guideline; version: number }>();
  for (const row of rows) {
    // Stored by import as the JSON of a parsed Guideline.
    const entry = { guideline: row.document as Guideline, version: row.version };
    if (row.client_id === null) firmWide = entry;
    else byClient.set(row.client_id, entry);
  }
  return { firmWide, byClient };
}
