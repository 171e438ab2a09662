import type { AppContext } from '../../config/context.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { activateIn } from './activate-guideline.js';
import { readGuidelineDocument } from './guideline-document.js';
import * as repo from './guidelines.repository.js';
import type { GuidelineVersionDto } from './guidelines.schemas.js';
import { actorUserId, toVersionDto } from './guidelines.service.js';
import { latestVersionFor } from './validate-guideline.js';

/**
 * Imports a guideline document as the next version of its guideline id, as a draft (or active
 * at once with `activate`). The source text is stored exactly as given, beside the parsed
 * guideline as JSON; an invalid document writes nothing.
 */
export async function importGuideline(
  ctx: AppContext,
  actor: Actor,
  sourceText: string,
  options: { activate?: boolean } = {},
): Promise<GuidelineVersionDto> {
  const { guideline, clientId } = await readGuidelineDocument(ctx.db, sourceText);
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    await repo.lockGuidelineKey(trx, guideline.id);
    const latest = await latestVersionFor(trx, guideline.id, clientId, sourceText);
    const version = (latest?.version ?? 0) + 1;
    const { id } = await repo.insertVersion(trx, {
      guideline_key: guideline.id,
      client_id: clientId,
      version,
      name: guideline.name,
      effective_from: guideline.effectiveFrom,
      source_text: sourceText,
      document: JSON.stringify(guideline),
      status: 'draft',
      imported_by: actorUserId(actor),
      imported_at: now,
    });
    const row = (await repo.findVersion(trx, guideline.id, version))!;
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'guideline.import',
        entityType: 'guideline_version',
        entityId: id,
        after: {
          key: guideline.id,
          client: guideline.client,
          version,
          rules: guideline.rules.length,
        },
      },
      now,
    );
    if (!options.activate) return toVersionDto(row);
    return (await activateIn(trx, now, actor, guideline.id, version)).version;
  });
}
