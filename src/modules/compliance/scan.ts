/**
 * The pre-bill compliance scan: every unbilled entry and expense in a window, client by client,
 * judged by the rules in effect, optionally kept in step with the stored exceptions.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { isIsoDate } from '../../domain/dates.js';
import { validationError, type FieldIssue } from '../../domain/errors.js';
import type { CompiledGuideline } from '../../domain/guidelines/index.js';
import type { Actor } from '../../domain/policy.js';
import { evaluateWork } from './evaluate-work.js';
import { syncExceptions } from './exception-sync.js';
import { hasOpenExceptions } from './exceptions.repository.js';
import { OwnerDirectory } from './owners.js';
import {
  hasEntryRules,
  loadClientRules,
  rulesFromCompiled,
  type ClientRules,
} from './rules-for-client.js';
import { attachRefs, fingerprintOf, type ScanFinding } from './scan-finding.js';
import { loadWork, type WorkWindow } from './work-loader.js';

export type { ScanFinding } from './scan-finding.js';
export type { WorkWindow } from './work-loader.js';

export interface ScanOptions {
  /**
   * The rules to judge a client's work by, instead of its active guidelines (a draft tried in
   * the sandbox). They apply to work of any date.
   */
  rulesForClient?: (clientId: number, clientCode: string) => Promise<CompiledGuideline>;
  /** Store the findings as exceptions (open, refresh, resolve). Off by default: a scan only reports. */
  sync?: boolean;
  /**
   * Judge the window as the billed period (late entries are measured against its end); on by
   * default. Off, late-entry exceptions are left as they are.
   */
  period?: boolean;
}

const PERIOD_KINDS = new Set(['late_entry']);

export interface ScanResult {
  findings: ScanFinding[];
  entriesChecked: number;
  expensesChecked: number;
  /** With `sync`: exceptions opened and resolved. */
  exceptionsOpened: number;
  exceptionsResolved: number;
}

/** Scans the unbilled work in `window` and returns every finding, client by client. */
export async function scanWork(
  ctx: AppContext,
  actor: Actor,
  window: WorkWindow,
  options: ScanOptions = {},
): Promise<ScanResult> {
  checkWindow(window);
  const override = options.rulesForClient;
  const rulesOf = override
    ? async (id: number, code: string) => rulesFromCompiled(await override(id, code))
    : (id: number) => loadClientRules(ctx.db, id);
  const sync = options.sync === true;
  const owners = sync ? await OwnerDirectory.load(ctx.db, null) : null;
  const rulesByClient = new Map<number, ClientRules>();
  // A client no rule applies to is skipped unread, unless open exceptions there need resolving.
  const include = async (clientId: number, clientCode: string) => {
    const rules = await rulesOf(clientId, clientCode);
    rulesByClient.set(clientId, rules);
    return hasEntryRules(rules) || (sync && (await hasOpenExceptions(ctx.db, clientId)));
  };

  const result: ScanResult = {
    findings: [],
    entriesChecked: 0,
    expensesChecked: 0,
    exceptionsOpened: 0,
    exceptionsResolved: 0,
  };
  const withPeriod = options.period !== false;
  const period = withPeriod ? { period: { start: window.from, end: window.to } } : {};
  for await (const batch of loadWork(ctx.db, window, { include })) {
    const rules = rulesByClient.get(batch.clientId)!;
    const findings = attachRefs(evaluateWork(rules, { ...batch.input, ...period }), batch.refs);
    if (owners !== null) {
      const synced = await inTransaction(ctx.db, (trx) =>
        syncExceptions(trx, actor, ctx.now(), {
          judged: batch.refs.values(),
          findings,
          rules,
          owners,
          matterOf: (id) => batch.context.matter(id),
          trigger: 'recheck',
          ...(withPeriod ? {} : { unevaluatedKinds: PERIOD_KINDS }),
        }),
      );
      result.exceptionsOpened += synced.opened;
      result.exceptionsResolved += synced.resolved;
      for (const finding of findings) {
        const key = fingerprintOf(finding.ruleId, finding.entity, finding.entityDbId);
        finding.exception = synced.exceptions.get(key);
      }
    }
    for (const finding of findings) result.findings.push(finding);
    result.entriesChecked += batch.input.timeEntries?.length ?? 0;
    result.expensesChecked += batch.input.expenses?.length ?? 0;
  }
  return result;
}

function checkWindow(window: WorkWindow): void {
  const issues: FieldIssue[] = [];
  if (!isIsoDate(window.from))
    issues.push({ field: 'from', message: 'must be a date as YYYY-MM-DD' });
  if (!isIsoDate(window.to)) issues.push({ field: 'to', message: 'must be a date as YYYY-MM-DD' });
  if (issues.length === 0 && window.from > window.to)
    issues.push({ field: 'to', message: `must not be before from (${window.from})` });
  if (issues.length > 0)
    throw validationError('SCAN_WINDOW_INVALID', 'The dates to check are not valid.', issues);
}

/** Runs `work` in the caller's transaction, or in a new one per client batch. */
function inTransaction<T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
