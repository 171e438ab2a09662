import type { AppContext } from '../../config/context.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { activateIn } from './activate-routing-table.js';
import { readRoutingDocument } from './routing-document.js';
import * as repo from './routing.repository.js';
import type { RoutingTableVersionDto } from './routing.schemas.js';
import { actorUserId, toVersionDto } from './routing.service.js';

/**
 * Imports a routing table document as the next version of its id, as a draft (or active at
 * once with `activate`). The source text is stored exactly as given, beside the parsed table
 * as JSON; an invalid document writes nothing.
 */
export async function importRoutingTable(
  ctx: AppContext,
  actor: Actor,
  sourceText: string,
  options: { activate?: boolean } = {},
): Promise<RoutingTableVersionDto> {
  const table = await readRoutingDocument(ctx.db, sourceText);
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    await repo.lockTableKey(trx, table.id);
    const version = (await repo.latestVersionNumber(trx, table.id)) + 1;
    const { id } = await repo.insertVersion(trx, {
      table_key: table.id,
      version,
      source_text: sourceText,
      document: JSON.stringify(table),
      status: 'draft',
      imported_by: actorUserId(actor),
      imported_at: now,
    });
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'routing_table.import',
        entityType: 'routing_table',
        entityId: id,
        after: { key: table.id, version, rules: table.rules.length },
      },
      now,
    );
    if (options.activate) return (await activateIn(trx, now, actor, table.id, version)).version;
    return toVersionDto((await repo.findVersion(trx, table.id, version))!);
  });
}
