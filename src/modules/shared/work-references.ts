import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { FieldIssue } from '../../domain/errors.js';
import { AppError, conflict } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { ownWorkTimekeeperId } from '../matters/matter-access.js';
import { findVisibleMatterByCode } from '../matters/matters.repository.js';
import { findTimekeeperByCode } from './references.repository.js';

/**
 * The matter that recorded work goes on. A matter the actor may not see answers exactly like a
 * missing one (404), so the answer never reveals what lies behind an ethical wall.
 */
export async function resolveWorkMatter(db: Kysely<DB>, actor: Actor, code: string) {
  const matter = await findVisibleMatterByCode(db, actor, code, 'work');
  if (!matter) {
    throw new AppError('not_found', 'MATTER_NOT_FOUND', `No matter ${code}.`, {
      issues: [{ field: 'matter_code', message: `no matter with code ${code} that you may see` }],
    });
  }
  if (!matter.active || matter.status === 'closed')
    throw conflict('MATTER_CLOSED', `Matter ${code} is closed to new work.`);
  return matter;
}

/**
 * The timekeeper that recorded work belongs to: the one named, or the actor's own. Actors who
 * only record time may record it for themselves alone (403 otherwise).
 */
export async function resolveWorkTimekeeper(
  db: Kysely<DB>,
  actor: Actor,
  code: string | undefined,
  issues: FieldIssue[],
): Promise<number | null> {
  const own = ownWorkTimekeeperId(actor);
  if (code === undefined) {
    if (actor.timekeeperId !== null) return Number(actor.timekeeperId);
    issues.push({
      field: 'timekeeper_code',
      message: 'is required because your user is not linked to a timekeeper',
    });
    return null;
  }
  const timekeeper = await findTimekeeperByCode(db, code);
  if (own !== null && timekeeper?.id !== own) {
    throw new AppError(
      'forbidden',
      'NOT_OWN_WORK',
      'You may record time and expenses only for yourself.',
    );
  }
  if (!timekeeper) issues.push({ field: 'timekeeper_code', message: `no timekeeper ${code}` });
  else if (!timekeeper.active)
    issues.push({ field: 'timekeeper_code', message: `timekeeper ${code} is inactive` });
  else return timekeeper.id;
  return null;
}
