import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { validationError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { locateClient, readGuidelineDocument } from './guideline-document.js';
import * as repo from './guidelines.repository.js';
import type { ValidateResult } from './guidelines.schemas.js';

/**
 * Checks a guideline document exactly as an import would, without storing anything: 400
 * GUIDELINE_INVALID (or GUIDELINE_CLIENT_CHANGED) with line and column of every problem, or
 * what the document is and the version saving it would make.
 */
export async function validateGuideline(
  ctx: AppContext,
  _actor: Actor,
  sourceText: string,
): Promise<ValidateResult> {
  const { guideline, clientId } = await readGuidelineDocument(ctx.db, sourceText);
  const latest = await latestVersionFor(ctx.db, guideline.id, clientId, sourceText);
  return {
    key: guideline.id,
    client: guideline.client,
    name: guideline.name,
    effective_from: guideline.effectiveFrom,
    rule_count: guideline.rules.length,
    next_version: (latest?.version ?? 0) + 1,
  };
}

/**
 * The latest version of a guideline id, refusing a document that would move the id to another
 * client: a guideline id names one client's guideline, and moving it would rewrite that history.
 */
export async function latestVersionFor(
  db: Kysely<DB>,
  key: string,
  clientId: number | null,
  sourceText: string,
) {
  const latest = await repo.keyHistory(db, key);
  if (latest && latest.client_id !== clientId) {
    const at = locateClient(sourceText);
    throw validationError(
      'GUIDELINE_CLIENT_CHANGED',
      `Guideline "${key}" belongs to another client; import it under a new id.`,
      [
        {
          field: 'client',
          line: at?.line,
          column: at?.column,
          message: `earlier versions of "${key}" are for another client; a guideline id cannot move between clients`,
        },
      ],
    );
  }
  return latest;
}
