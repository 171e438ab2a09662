import type { AppContext } from '../../config/context.js';
import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import type { RoutingTable } from '../../domain/workflow/index.js';
import * as repo from './routing.repository.js';
import type {
  RoutingTableDetailDto,
  RoutingTableStatus,
  RoutingTableVersionDto,
} from './routing.schemas.js';

/** Maps a version row to what the API and CLI show. */
export function toVersionDto(row: repo.RoutingTableRow): RoutingTableVersionDto {
  return {
    id: row.id,
    key: row.table_key,
    name: row.name,
    version: row.version,
    status: row.status as RoutingTableStatus,
    rule_count: Number(row.rule_count),
    imported_by: row.imported_by,
    imported_at: row.imported_at,
    activated_by: row.activated_by,
    activated_at: row.activated_at,
  };
}

/** The user id to record as importer or activator; null for the CLI's system actor. */
export function actorUserId(actor: Actor): number | null {
  return actor.via === 'system' ? null : Number(actor.userId);
}

/** Every routing table version, in key and version order. */
export async function listRoutingTables(
  ctx: AppContext,
  _actor: Actor,
): Promise<RoutingTableVersionDto[]> {
  return (await repo.listVersions(ctx.db)).map(toVersionDto);
}

/** One version with its source text and the table as parsed, or ROUTING_TABLE_NOT_FOUND. */
export async function getRoutingTable(
  ctx: AppContext,
  _actor: Actor,
  key: string,
  version: number,
): Promise<RoutingTableDetailDto> {
  const row = await repo.findVersion(ctx.db, key, version);
  if (!row)
    throw notFound('ROUTING_TABLE_NOT_FOUND', `No version ${version} of routing table "${key}".`);
  const { source_text, document } = await repo.findSource(ctx.db, row.id);
  // Stored by import as the JSON of a parsed RoutingTable.
  const table = document as RoutingTable;
  return {
    ...toVersionDto(row),
    source_text,
    table: {
      rules: table.rules.map((rule) => ({
        id: rule.id,
        match: { ...rule.match },
        reviewer: rule.reviewer,
        approvers: [...rule.approvers],
      })),
      default: { reviewer: table.default.reviewer, approvers: [...table.default.approvers] },
    },
  };
}

/** The active table's source text exactly as imported, or ROUTING_TABLE_NOT_FOUND. */
export async function exportRoutingTable(
  ctx: AppContext,
  _actor: Actor,
): Promise<{ version: RoutingTableVersionDto; sourceText: string }> {
  const row = await repo.findActiveVersion(ctx.db);
  if (!row) throw notFound('ROUTING_TABLE_NOT_FOUND', 'No routing table is active.');
  const { source_text } = await repo.findSource(ctx.db, row.id);
  return { version: toVersionDto(row), sourceText: source_text };
}
