import type { AppContext } from '../../config/context.js';
import { notFound } from '../../domain/errors.js';
import { paramsInWords, type Guideline } from '../../domain/guidelines/index.js';
import type { Actor } from '../../domain/policy.js';
import { findClientByCode } from '../shared/references.repository.js';
import * as repo from './guidelines.repository.js';
import type {
  ExportQuery,
  GuidelineListQuery,
  GuidelineStatus,
  GuidelineVersionDetailDto,
  GuidelineVersionDto,
} from './guidelines.schemas.js';

/** Maps a version row to what the API and CLI show. */
export function toVersionDto(row: repo.GuidelineVersionRow): GuidelineVersionDto {
  return {
    id: row.id,
    key: row.guideline_key,
    client: row.client_code,
    name: row.name,
    version: row.version,
    status: row.status as GuidelineStatus,
    effective_from: row.effective_from,
    rule_count: Number(row.rule_count),
    imported_by: row.imported_by,
    imported_at: row.imported_at,
    activated_by: row.activated_by,
    activated_at: row.activated_at,
    retired_at: row.retired_at,
  };
}

/** The user id to record as importer or activator; null for the CLI's system actor. */
export function actorUserId(actor: Actor): number | null {
  return actor.via === 'system' ? null : Number(actor.userId);
}

/** Lists guideline versions, optionally for one client ("*" = firm-wide), status or guideline id. */
export async function listGuidelineVersions(
  ctx: AppContext,
  _actor: Actor,
  query: GuidelineListQuery,
): Promise<GuidelineVersionDto[]> {
  const rows = await repo.listVersions(ctx.db, query);
  return rows.map(toVersionDto);
}

/** One version with its source text and parsed rules, or GUIDELINE_NOT_FOUND. */
export async function getGuidelineVersion(
  ctx: AppContext,
  _actor: Actor,
  key: string,
  version: number,
): Promise<GuidelineVersionDetailDto> {
  const row = await repo.findVersion(ctx.db, key, version);
  if (!row) throw notFound('GUIDELINE_NOT_FOUND', `No version ${version} of guideline "${key}".`);
  const { source_text, document } = await repo.findSource(ctx.db, row.id);
  const guideline = document as Guideline;
  return {
    ...toVersionDto(row),
    source_text,
    rules: guideline.rules.map((rule) => ({
      ...rule,
      params: { ...rule.params },
      params_text: paramsInWords(rule.kind, rule.params),
    })),
    disabled_rule_ids: [...guideline.disabledRuleIds],
  };
}

/**
 * The source text of a client's active guideline (or of `version` of it) exactly as imported.
 * With several guideline ids for one client, `key` picks one; otherwise the active one's id.
 */
export async function exportGuideline(
  ctx: AppContext,
  _actor: Actor,
  query: ExportQuery,
): Promise<{ version: GuidelineVersionDto; sourceText: string }> {
  const scope = query.client === '*' ? '"*" (firm-wide)' : `client ${query.client}`;
  let clientId: number | null = null;
  if (query.client !== '*') {
    const client = await findClientByCode(ctx.db, query.client);
    if (!client) throw notFound('CLIENT_NOT_FOUND', `No client with code "${query.client}".`);
    clientId = client.id;
  }
  let row: repo.GuidelineVersionRow | undefined;
  if (query.version === undefined && query.key === undefined) {
    row = await repo.findActiveVersion(ctx.db, clientId);
    if (!row) throw notFound('GUIDELINE_NOT_FOUND', `No active guideline for ${scope}.`);
  } else {
    const key = query.key ?? (await repo.currentKeyOfClient(ctx.db, clientId));
    row = key === null ? undefined : await versionOf(ctx, key, query.version);
    if (!row || row.client_id !== clientId) {
      const which = query.version === undefined ? 'latest version' : `version ${query.version}`;
      throw notFound('GUIDELINE_NOT_FOUND', `No ${which} of a guideline for ${scope}.`);
    }
  }
  const { source_text } = await repo.findSource(ctx.db, row.id);
  return { version: toVersionDto(row), sourceText: source_text };
}

function versionOf(ctx: AppContext, key: string, version: number | undefined) {
  return version === undefined
    ? repo.findLatestVersion(ctx.db, key)
    : repo.findVersion(ctx.db, key, version);
}
