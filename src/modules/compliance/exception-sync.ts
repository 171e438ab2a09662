/**
 * Keeping guideline exceptions in step with findings. For the items judged in one run:
 * findings that are new open an exception, findings that still hold refresh theirs, and open
 * exceptions whose finding is gone are resolved. Waived exceptions stay waived.
 */
import type { Insertable, Kysely } from 'kysely';
import type { DB, GuidelineExceptionTable } from '../../db/schema.js';
import type { Actor } from '../../domain/policy.js';
import { canonicalJson } from '../audit/audit.repository.js';
import { settleExceptionStatesOfWork, type ExceptionTrigger } from '../invoices/exception-state.js';
import * as repo from './exceptions.repository.js';
import { queueExceptionAlerts } from '../notifications/notify-exceptions.js';
import type { OwnerDirectory } from './owners.js';
import { versionIdOf, type ClientRules } from './rules-for-client.js';
import { fingerprintOf, type ScanFinding } from './scan-finding.js';
import type { WorkRef } from './work-input.js';
import type { WorkMatterRow } from './work.repository.js';

export interface SyncScope {
  /** Every item judged in this run, with or without findings. */
  judged: Iterable<WorkRef>;
  findings: readonly ScanFinding[];
  rules: ClientRules;
  owners: OwnerDirectory;
  matterOf(id: number): WorkMatterRow;
  /** Kinds this run could not evaluate (e.g. late entries without a billed period): left as they are. */
  unevaluatedKinds?: ReadonlySet<string>;
  /**
   * Items judged on some kinds only, by `entity|id`, with those kinds: their exceptions of
   * other kinds are left as they are. Items not listed were judged on every kind.
   */
  evaluatedKinds?: ReadonlyMap<string, ReadonlySet<string>>;
  /** What ran the check, recorded on the stage event of an invoice it moves in or out of exception. */
  trigger?: ExceptionTrigger;
  /**
   * Live exceptions the caller has already read, complete for the time entries in `entryIds`;
   * those of other judged items are read here.
   */
  live?: { entryIds: ReadonlySet<number>; rows: readonly repo.LiveExceptionRow[] };
}

/** The exception now standing for a finding. */
export interface SyncedException {
  id: number;
  state: 'open' | 'waived';
  ownerUserId: number | null;
}

export interface SyncResult {
  /** By fingerprint. */
  exceptions: Map<string, SyncedException>;
  opened: number;
  resolved: number;
}

type ExceptionValues = repo.RefreshedValues;

/** Syncs the exceptions of the judged items with `findings`; resolutions are by `actor`. */
export async function syncExceptions(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  scope: SyncScope,
): Promise<SyncResult> {
  const judged = new Map<string, WorkRef>();
  const entryIds: number[] = [];
  const expenseIds: number[] = [];
  for (const ref of scope.judged) {
    judged.set(`${ref.entity}|${ref.id}`, ref);
    (ref.entity === 'time_entry' ? entryIds : expenseIds).push(ref.id);
  }
  const live = new Map<string, repo.LiveExceptionRow>();
  for (const row of await liveExceptionsOf(db, entryIds, expenseIds, scope.live))
    live.set(row.fingerprint, row);

  const exceptions = new Map<string, SyncedException>();
  // Work whose blocking exceptions open, close or change severity: its invoice may have to move.
  const blockMoved = new Set<string>();
  const noteBlock = (entity: string, id: number) => blockMoved.add(`${entity}|${id}`);
  const inserts = new Map<string, Insertable<GuidelineExceptionTable>>();
  const touched: number[] = [];
  const refreshed: { id: number; values: ExceptionValues }[] = [];
  for (const finding of scope.findings) {
    const fingerprint = fingerprintOf(finding.ruleId, finding.entity, finding.entityDbId);
    if (exceptions.has(fingerprint) || inserts.has(fingerprint)) continue;
    const item = judged.get(`${finding.entity}|${finding.entityDbId}`);
    if (item === undefined) continue;
    const values: ExceptionValues = {
      rule_kind: finding.kind,
      severity: finding.severity,
      owner_role: finding.owner,
      owner_user_id: scope.owners.ownerOf(finding.owner, item, scope.matterOf(item.matterId)),
      message: finding.message,
      guideline_version_id: versionIdOf(scope.rules, finding),
      correction: finding.correction === undefined ? null : canonicalJson(finding.correction),
    };
    const existing = live.get(fingerprint);
    if (existing === undefined) {
      if (finding.severity === 'block') noteBlock(finding.entity, item.id);
      inserts.set(fingerprint, {
        ...values,
        fingerprint,
        rule_id: finding.ruleId,
        entity_type: finding.entity,
        time_entry_id: finding.entity === 'time_entry' ? item.id : null,
        expense_id: finding.entity === 'expense' ? item.id : null,
        entity_external_id: finding.entityId,
        matter_id: item.matterId,
        state: 'open',
        opened_at: now,
        last_seen_at: now,
      });
      continue;
    }
    live.delete(fingerprint);
    const state = existing.state === 'waived' ? 'waived' : 'open';
    if (state === 'open' && (existing.severity === 'block') !== (finding.severity === 'block'))
      noteBlock(finding.entity, item.id);
    // A waiver covers the finding as it was waived; what it says now is not rewritten.
    if (state === 'open' && changed(existing, values)) refreshed.push({ id: existing.id, values });
    else touched.push(existing.id);
    exceptions.set(fingerprint, {
      id: existing.id,
      state,
      ownerUserId: state === 'open' ? (values.owner_user_id ?? null) : existing.owner_user_id,
    });
  }
  await repo.refreshExceptions(db, refreshed, now);
  await repo.touchExceptions(db, touched, now);
  const insertedRows = await repo.insertExceptions(db, [...inserts.values()]);
  for (const row of insertedRows) {
    const ownerUserId = inserts.get(row.fingerprint)?.owner_user_id ?? null;
    exceptions.set(row.fingerprint, { id: row.id, state: 'open', ownerUserId });
  }
  // New exceptions reach their owners, in this transaction (see docs/notifications.md).
  await queueExceptionAlerts(
    db,
    now,
    insertedRows.map((row) => row.id),
  );

  const evaluated = (row: repo.LiveExceptionRow): boolean => {
    if (scope.unevaluatedKinds?.has(row.rule_kind) ?? false) return false;
    if (scope.evaluatedKinds === undefined) return true;
    const key =
      row.time_entry_id === null ? `expense|${row.expense_id}` : `time_entry|${row.time_entry_id}`;
    return scope.evaluatedKinds.get(key)?.has(row.rule_kind) ?? true;
  };
  const gone = [...live.values()].filter((row) => row.state === 'open' && evaluated(row));
  const resolvedBy = actor.via === 'system' ? null : Number(actor.userId);
  await repo.resolveExceptions(
    db,
    gone.map((row) => row.id),
    now,
    resolvedBy,
  );
  for (const row of gone)
    if (row.severity === 'block')
      noteBlock(
        row.time_entry_id === null ? 'expense' : 'time_entry',
        row.time_entry_id ?? row.expense_id!,
      );
  if (blockMoved.size > 0) {
    const ids = [...blockMoved].map((key) => key.split('|') as [string, string]);
    await settleExceptionStatesOfWork(
      db,
      actor,
      now,
      {
        entryIds: ids.filter(([e]) => e === 'time_entry').map(([, id]) => Number(id)),
        expenseIds: ids.filter(([e]) => e === 'expense').map(([, id]) => Number(id)),
      },
      scope.trigger ?? 'work_check',
    );
  }
  return { exceptions, opened: inserts.size, resolved: gone.length };
}

function changed(row: repo.LiveExceptionRow, values: ExceptionValues): boolean {
  const correction = row.correction === null ? null : canonicalJson(row.correction);
  return (
    row.rule_kind !== values.rule_kind ||
    row.severity !== values.severity ||
    row.owner_role !== values.owner_role ||
    row.owner_user_id !== (values.owner_user_id ?? null) ||
    row.message !== values.message ||
    row.guideline_version_id !== (values.guideline_version_id ?? null) ||
    correction !== values.correction
  );
}

/** The live exceptions of the judged items: those already read, and the rest from the database. */
async function liveExceptionsOf(
  db: Kysely<DB>,
  entryIds: readonly number[],
  expenseIds: readonly number[],
  known: SyncScope['live'],
): Promise<repo.LiveExceptionRow[]> {
  if (known === undefined) return repo.findLiveExceptions(db, entryIds, expenseIds);
  const judged = new Set(entryIds);
  const unread = entryIds.filter((id) => !known.entryIds.has(id));
  const read = known.rows.filter(
    (row) => row.time_entry_id !== null && judged.has(row.time_entry_id),
  );
  if (unread.length === 0 && expenseIds.length === 0) return read;
  return [...read, ...(await repo.findLiveExceptions(db, unread, expenseIds))];
}
