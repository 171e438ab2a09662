import type { Insertable, Kysely } from 'kysely';
import type { ClientTable, DB } from '../../db/schema.js';
import type { ClientListQuery } from './clients.schemas.js';

export const CLIENT_COLUMNS = [
  'id',
  'client_code',
  'name',
  'currency',
  'ebilling_format',
  'ebilling_client_id',
  'law_firm_id',
  'active',
  'version',
  'created_at',
  'updated_at',
] as const;

export function findClientById(db: Kysely<DB>, id: number) {
  return db.selectFrom('client').select(CLIENT_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** One page of clients in id order, with one extra row to tell whether another page follows. */
export function listClients(db: Kysely<DB>, query: ClientListQuery, afterId: number | null) {
  let q = db
    .selectFrom('client')
    .select(CLIENT_COLUMNS)
    .orderBy('id')
    .limit(query.limit + 1);
  if (afterId !== null) q = q.where('id', '>', afterId);
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('client_code', 'ilike', pattern), eb('name', 'ilike', pattern)]));
  }
  if (query.ebilling_format) q = q.where('ebilling_format', '=', query.ebilling_format);
  if (query.active) q = q.where('active', '=', query.active === 'true');
  return q.execute();
}

export function insertClient(db: Kysely<DB>, values: Insertable<ClientTable>) {
  return db.insertInto('client').values(values).returning(CLIENT_COLUMNS).executeTakeFirstOrThrow();
}

export const EBILLING_PROFILE_COLUMNS = [
  'id',
  'client_code',
  'name',
  'currency',
  'ebilling_format',
  'ebilling_portal',
  'ebilling_client_id',
  'law_firm_id',
  'ledes_classification_codes',
  'ledes_classification_map',
  'tax_rate',
  'tax_type',
  'billing_address_1',
  'billing_address_2',
  'billing_city',
  'billing_region',
  'billing_postcode',
  'billing_country',
  'version',
  'updated_at',
] as const;

export function findEbillingProfile(db: Kysely<DB>, key: { id?: number; code?: string }) {
  let q = db.selectFrom('client').select(EBILLING_PROFILE_COLUMNS);
  if (key.id !== undefined) q = q.where('id', '=', key.id);
  if (key.code !== undefined) q = q.where('client_code', '=', key.code);
  return q.executeTakeFirst();
}

export function findFirmProfile(db: Kysely<DB>) {
  return db.selectFrom('firm_profile').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}
