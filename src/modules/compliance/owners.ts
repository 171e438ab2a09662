/**
 * Who must act on a finding: the rule names a role, the matter names the person. A role that
 * nobody on the matter fills leaves the exception unassigned (still listed, never lost).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RuleOwner } from '../../domain/guidelines/index.js';
import type { WorkRef } from './work-input.js';
import type { WorkMatterRow } from './work.repository.js';

export class OwnerDirectory {
  private constructor(
    private readonly userByTimekeeper: ReadonlyMap<number, number>,
    private readonly legalOps: number | null,
  ) {}

  /** A directory naming nobody, for a run with no findings to assign. */
  static empty(): OwnerDirectory {
    return new OwnerDirectory(new Map(), null);
  }

  /**
   * Loads the active users linked to the given timekeepers (all linked users when null) and
   * the legal ops user findings go to: the active one with the lowest id, a stable choice.
   */
  static async load(
    db: Kysely<DB>,
    timekeeperIds: readonly number[] | null,
  ): Promise<OwnerDirectory> {
    let q = db
      .selectFrom('app_user')
      .select(['id', 'timekeeper_id', 'roles'])
      .where('active', '=', true);
    q =
      timekeeperIds === null
        ? q.where((eb) =>
            eb.or([eb('timekeeper_id', 'is not', null), sql<boolean>`'legal_ops' = any(roles)`]),
          )
        : q.where((eb) =>
            eb.or([
              sql<boolean>`timekeeper_id = any(${[...timekeeperIds]}::bigint[])`,
              sql<boolean>`'legal_ops' = any(roles)`,
            ]),
          );
    const rows = await q.orderBy('id').execute();
    const byTimekeeper = new Map<number, number>();
    let legalOps: number | null = null;
    for (const row of rows) {
      if (row.timekeeper_id !== null) byTimekeeper.set(row.timekeeper_id, row.id);
      if (legalOps === null && row.roles.includes('legal_ops')) legalOps = row.id;
    }
    return new OwnerDirectory(byTimekeeper, legalOps);
  }

  /** The user who owns a finding of `role` on an item of `matter`, or null when nobody fits. */
  ownerOf(role: RuleOwner, item: WorkRef, matter: WorkMatterRow): number | null {
    switch (role) {
      case 'timekeeper':
        return item.timekeeperId === null ? null : this.#linked(item.timekeeperId);
      case 'responsible_attorney':
        return this.#linked(matter.responsible_attorney_id);
      case 'billing_partner':
        return this.#linked(matter.billing_partner_id);
      case 'billing_coordinator':
        return matter.billing_coordinator_id;
      case 'legal_ops':
        return this.legalOps;
    }
  }

  #linked(timekeeperId: number): number | null {
    return this.userByTimekeeper.get(timekeeperId) ?? null;
  }
}

/** The timekeepers whose users may own findings on these items and matters. */
export function ownerTimekeepers(
  items: Iterable<WorkRef>,
  matters: Iterable<WorkMatterRow>,
): number[] {
  const ids = new Set<number>();
  for (const item of items) if (item.timekeeperId !== null) ids.add(item.timekeeperId);
  for (const m of matters) {
    ids.add(m.responsible_attorney_id);
    ids.add(m.billing_partner_id);
  }
  return [...ids];
}
