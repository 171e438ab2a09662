import type { Insertable, Kysely } from 'kysely';
import type { DB, MatterTable } from '../../db/schema.js';
import type { Actor } from '../../domain/policy.js';
import { containsPattern } from '../shared/references.repository.js';
import type { MatterAccessPurpose } from './matter-access.js';
import { visibleMatterIds } from './matter-access.js';
import type { MatterListQuery } from './matters.schemas.js';

/** A matter with the codes of the records it refers to, as the API shows it. */
function selectMatters(db: Kysely<DB>) {
  return db
    .selectFrom('matter as m')
    .innerJoin('client as c', 'c.id', 'm.client_id')
    .innerJoin('timekeeper as ra', 'ra.id', 'm.responsible_attorney_id')
    .innerJoin('timekeeper as bp', 'bp.id', 'm.billing_partner_id')
    .leftJoin('app_user as bc', 'bc.id', 'm.billing_coordinator_id')
    .select([
      'm.id',
      'm.matter_code',
      'm.client_id',
      'c.client_code',
      'm.client_matter_id',
      'm.name',
      'm.practice_area',
      'm.jurisdiction',
      'm.office',
      'm.fee_arrangement',
      'm.fee_amount_cents',
      'c.currency',
      'm.responsible_attorney_id',
      'ra.timekeeper_code as responsible_attorney',
      'm.billing_partner_id',
      'bp.timekeeper_code as billing_partner',
      'm.billing_coordinator_id',
      'bc.email as billing_coordinator',
      'm.budget_cents',
      'm.status',
      'm.opened_on',
      'm.closed_on',
      'm.restricted',
      'm.active',
      'm.version',
      'm.created_at',
      'm.updated_at',
    ]);
}

export type MatterRow = NonNullable<Awaited<ReturnType<typeof findVisibleMatter>>>;

/** One matter if it exists and the actor may see it for `purpose`. */
export function findVisibleMatter(
  db: Kysely<DB>,
  actor: Actor,
  id: number,
  purpose: MatterAccessPurpose = 'record',
) {
  return selectMatters(db)
    .where('m.id', '=', id)
    .where('m.id', 'in', visibleMatterIds(db, actor, purpose))
    .executeTakeFirst();
}

/** A visible matter by its code, with what work on it needs (client and currency). */
export function findVisibleMatterByCode(
  db: Kysely<DB>,
  actor: Actor,
  code: string,
  purpose: MatterAccessPurpose,
) {
  return db
    .selectFrom('matter as m')
    .innerJoin('client as c', 'c.id', 'm.client_id')
    .select([
      'm.id',
      'm.matter_code',
      'm.client_id',
      'c.currency',
      'm.status',
      'm.active',
      'm.restricted',
    ])
    .where('m.matter_code', '=', code)
    .where('m.id', 'in', visibleMatterIds(db, actor, purpose))
    .executeTakeFirst();
}

/** One page of visible matters in id order, plus one row to tell whether more follow. */
export function listVisibleMatters(
  db: Kysely<DB>,
  actor: Actor,
  query: MatterListQuery,
  afterId: number | null,
) {
  let q = selectMatters(db)
    .where('m.id', 'in', visibleMatterIds(db, actor, 'record'))
    .orderBy('m.id')
    .limit(query.limit + 1);
  if (afterId !== null) q = q.where('m.id', '>', afterId);
  if (query.q) {
    const pattern = containsPattern(query.q);
    q = q.where((eb) =>
      eb.or([eb('m.matter_code', 'ilike', pattern), eb('m.name', 'ilike', pattern)]),
    );
  }
  if (query.client_code) q = q.where('c.client_code', '=', query.client_code);
  if (query.client_id) q = q.where('m.client_id', '=', query.client_id);
  if (query.practice_area) q = q.where('m.practice_area', '=', query.practice_area);
  if (query.fee_arrangement) q = q.where('m.fee_arrangement', '=', query.fee_arrangement);
  if (query.status) q = q.where('m.status', '=', query.status);
  if (query.active) q = q.where('m.active', '=', query.active === 'true');
  if (query.restricted) q = q.where('m.restricted', '=', query.restricted === 'true');
  return q.execute();
}

export async function insertMatter(db: Kysely<DB>, values: Insertable<MatterTable>) {
  const { id } = await db
    .insertInto('matter')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export function listMembers(db: Kysely<DB>, matterId: number) {
  return db
    .selectFrom('matter_member as mm')
    .innerJoin('app_user as u', 'u.id', 'mm.user_id')
    .select(['u.id as user_id', 'u.email', 'u.name', 'u.active', 'mm.added_at'])
    .where('mm.matter_id', '=', matterId)
    .orderBy('u.id')
    .execute();
}

/** Adds a member; true when added, false when already a member. */
export async function insertMember(
  db: Kysely<DB>,
  matterId: number,
  userId: number,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .insertInto('matter_member')
    .values({ matter_id: matterId, user_id: userId, added_at: now })
    .onConflict((oc) => oc.columns(['matter_id', 'user_id']).doNothing())
    .returning('user_id')
    .execute();
  return rows.length > 0;
}

export async function deleteMember(
  db: Kysely<DB>,
  matterId: number,
  userId: number,
): Promise<boolean> {
  const result = await db
    .deleteFrom('matter_member')
    .where('matter_id', '=', matterId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export function findUserById(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('app_user')
    .select(['id', 'email', 'active'])
    .where('id', '=', id)
    .executeTakeFirst();
}
