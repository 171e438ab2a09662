/** The reason-code map in force (the latest imported, or the default), and importing a new one. */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import {
  DEFAULT_REASON_MAP_TEXT,
  parseReasonMap,
  type ReasonMap,
} from '../../domain/ebilling/reason-map.js';
import { validationError } from '../../domain/errors.js';
import { RULE_KIND_NAMES } from '../../domain/guidelines/index.js';
import type { LedesProblemCode } from '../../domain/ledes/index.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { READINESS_CODES } from './readiness.js';

const LEDES_CODES: readonly LedesProblemCode[] = [
  'FIELD_COUNT',
  'MISSING_FIELD',
  'INVALID_DATE',
  'INVALID_NUMBER',
  'NEGATIVE_UNITS',
  'NON_ASCII',
  'LINE_TOTAL_MISMATCH',
  'INVOICE_TOTAL_MISMATCH',
  'LINE_TAX_MISMATCH',
  'INVOICE_TAX_TOTAL_MISMATCH',
  'INVOICE_NET_TOTAL_MISMATCH',
  'DUPLICATE_LINE_ITEM_NUMBER',
  'INVOICE_NUMBER_REUSED',
  'MULTI_MATTER_INVOICE',
  'MIXED_CURRENCIES',
  'DUPLICATE_LINE',
  'BILLING_PERIOD_INVERTED',
  'BILLING_PERIOD_SPANS_MONTHS',
  'LINE_DATE_OUTSIDE_PERIOD',
  'UNKNOWN_TASK_CODE',
  'UNKNOWN_ACTIVITY_CODE',
  'UNKNOWN_EXPENSE_CODE',
];

/** What a reason may point at: guideline rule kinds, readiness checks and validator checks. */
export const KNOWN_RULE_KINDS: ReadonlySet<string> = new Set<string>([
  ...RULE_KIND_NAMES,
  ...READINESS_CODES,
  ...LEDES_CODES.map((c) => `LEDES_${c}`),
]);

/** The map in force and where it came from (version null = the built-in default). */
export interface ReasonMapInForce {
  version: number | null;
  source_text: string;
  map: ReasonMap;
}

function parseOrThrow(text: string): ReasonMap {
  const parsed = parseReasonMap(text, KNOWN_RULE_KINDS);
  if ('errors' in parsed)
    throw validationError(
      'REASON_MAP_INVALID',
      `The reason-code map has ${parsed.errors.length} problem(s); nothing was changed.`,
      parsed.errors.map((e) => ({
        field: e.path,
        message: e.message,
        line: e.line,
        column: e.column,
      })),
    );
  return parsed.map;
}

/** The latest imported map, or the default when none was imported. */
export async function reasonMapInForce(db: Kysely<DB>): Promise<ReasonMapInForce> {
  const row = await db
    .selectFrom('ebilling_reason_map')
    .select(['version', 'source_text', 'document'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row)
    return {
      version: null,
      source_text: DEFAULT_REASON_MAP_TEXT,
      map: parseOrThrow(DEFAULT_REASON_MAP_TEXT),
    };
  return { version: row.version, source_text: row.source_text, map: row.document as ReasonMap };
}

/** Imports a map (YAML or JSON) as the next version; an invalid one changes nothing. */
export async function importReasonMap(
  ctx: AppContext,
  actor: Actor,
  text: string,
): Promise<ReasonMapInForce> {
  const map = parseOrThrow(text);
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    // One import at a time, so two imports cannot take the same version number.
    await sql`lock table ebilling_reason_map in exclusive mode`.execute(trx);
    const latest = await trx
      .selectFrom('ebilling_reason_map')
      .select((eb) => eb.fn.max('version').as('version'))
      .executeTakeFirst();
    const version = Number(latest?.version ?? 0) + 1;
    await trx
      .insertInto('ebilling_reason_map')
      .values({
        version,
        source_text: text,
        document: JSON.stringify(map),
        imported_by: actor.via === 'system' ? null : Number(actor.userId),
        imported_at: now,
      })
      .execute();
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'ebilling_reason_map.import',
        entityType: 'ebilling_reason_map',
        entityId: version,
        before: null,
        after: { version, reasons: map.reasons.length },
        reason: null,
      },
      now,
    );
    return { version, source_text: text, map };
  });
}
