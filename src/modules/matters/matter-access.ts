import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/policy.js';
import { seesAllMatters, seesAllWork } from '../../domain/policy.js';

/**
 * What the actor wants to see of a matter:
 * - `record`: the matter itself and its set-up (membership, approved timekeepers, rates).
 *   Admins manage ethical walls, so they see walled matters' records.
 * - `work`: the recorded time and expenses. Behind a wall only members see them, admins included.
 */
export type MatterAccessPurpose = 'record' | 'work';

/**
 * The ids of the matters the actor may see, as a subquery for `where(column, 'in', …)`.
 * Access is decided here, in SQL, so hidden matters never reach the application: they are
 * missing from lists and page sizes alike, and a direct read answers 404 rather than 403.
 */
export function visibleMatterIds(db: Kysely<DB>, actor: Actor, purpose: MatterAccessPurpose) {
  let query = db.selectFrom('matter as vm').select('vm.id');
  // Operator commands on the server itself already hold the database; walls do not apply.
  if (actor.via === 'system') return query;

  const userId = Number(actor.userId);
  const wallApplies = purpose === 'work' || !actor.roles.includes('admin');
  if (wallApplies) {
    query = query.where((eb) =>
      eb.or([
        eb('vm.restricted', '=', false),
        eb.exists(
          eb
            .selectFrom('matter_member as mm')
            .select('mm.matter_id')
            .whereRef('mm.matter_id', '=', 'vm.id')
            .where('mm.user_id', '=', userId),
        ),
      ]),
    );
  }

  if (!seesAllMatters(actor)) {
    if (actor.timekeeperId === null) return query.where((eb) => eb.val(false));
    const timekeeperId = Number(actor.timekeeperId);
    query = query.where((eb) =>
      eb.or([
        eb('vm.responsible_attorney_id', '=', timekeeperId),
        eb('vm.billing_partner_id', '=', timekeeperId),
        eb.exists(
          eb
            .selectFrom('matter_timekeeper as vmt')
            .select('vmt.matter_id')
            .whereRef('vmt.matter_id', '=', 'vm.id')
            .where('vmt.timekeeper_id', '=', timekeeperId),
        ),
        eb.exists(
          eb
            .selectFrom('time_entry as vte')
            .select('vte.id')
            .whereRef('vte.matter_id', '=', 'vm.id')
            .where('vte.timekeeper_id', '=', timekeeperId),
        ),
      ]),
    );
  }
  return query;
}

/**
 * The timekeeper whose work alone the actor may see, or null when the actor sees everyone's
 * work on the matters visible to them. Actors who only record time see their own entries.
 */
export function ownWorkTimekeeperId(actor: Actor): number | null {
  if (actor.via === 'system' || seesAllWork(actor)) return null;
  // -1 matches no row: a timekeeper-only user without a linked timekeeper sees no work.
  return actor.timekeeperId === null ? -1 : Number(actor.timekeeperId);
}
