import type { Role } from './roles.js';
import type { Actor } from './policy.js';

/**
 * Field groups a firm may hide per role: `rates` covers rates and money amounts of work (time
 * entry rate and amount, expense cost and amount, standard and approved rates, fee amounts,
 * invoice totals, line rates and amounts, write-down amounts); `reasons` covers write-down and
 * adjustment reasons (reason codes and their notes).
 */
export const FIELD_GROUPS = ['rates', 'reasons'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

/** What one role may see; a field group is visible when the flag is true. */
export type FieldVisibility = Record<FieldGroup, boolean>;

/** The defaults a new database starts with (the migration seeds the same rows). */
export const DEFAULT_FIELD_VISIBILITY: Record<Role, FieldVisibility> = {
  admin: { rates: true, reasons: true },
  legal_ops: { rates: true, reasons: true },
  billing_coordinator: { rates: true, reasons: true },
  approver: { rates: true, reasons: true },
  timekeeper: { rates: false, reasons: false },
};

export const SEES_EVERYTHING: FieldVisibility = { rates: true, reasons: true };

/**
 * What an actor sees: a group is visible when any of the actor's roles may see it. A role with
 * no row sees nothing hidden-able (fail closed). The operator on the server sees everything.
 */
export function visibilityFor(
  actor: Actor,
  byRole: ReadonlyMap<string, FieldVisibility>,
): FieldVisibility {
  if (actor.via === 'system') return SEES_EVERYTHING;
  return visibilityOfRoles(actor.roles, byRole);
}

/** What a user with these roles sees (a user who is not acting now: an email's recipient). */
export function visibilityOfRoles(
  roles: readonly string[],
  byRole: ReadonlyMap<string, FieldVisibility>,
): FieldVisibility {
  const seen: FieldVisibility = { rates: false, reasons: false };
  for (const role of roles) {
    const rule = byRole.get(role);
    if (!rule) continue;
    for (const group of FIELD_GROUPS) if (rule[group]) seen[group] = true;
  }
  return seen;
}

/** The groups hidden from an actor with this visibility. */
export function hiddenGroups(visibility: FieldVisibility): FieldGroup[] {
  return FIELD_GROUPS.filter((group) => !visibility[group]);
}
