/**
 * The guideline engine on a draft: the new work is judged by the client's active rules with the
 * invoice's period (so late entries count), the findings are kept in step as exceptions exactly
 * as the pre-bill scan keeps them, `adjust` corrections come back for the lines, and the
 * invoice-level rules (budget, total threshold, entries outside the period) judge the draft.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { BillingPeriod, Finding, RuleOwner } from '../../domain/guidelines/index.js';
import { evaluateInvoice, type InvoiceInput } from '../../domain/guidelines/index.js';
import type { Actor } from '../../domain/policy.js';
import type { RateCandidate } from '../../domain/rates.js';
import { evaluateWork } from '../compliance/evaluate-work.js';
import { syncExceptions } from '../compliance/exception-sync.js';
import { insertExceptions, type NewException } from '../compliance/exceptions.repository.js';
import { OwnerDirectory, ownerTimekeepers } from '../compliance/owners.js';
import {
  loadClientRules,
  rulesOn,
  versionIdOf,
  type ClientRules,
} from '../compliance/rules-for-client.js';
import { attachRefs } from '../compliance/scan-finding.js';
import { buildBatch } from '../compliance/work-loader.js';
import { WorkContext } from '../compliance/work-input.js';
import type {
  ApprovalRow,
  WorkEntryRow,
  WorkExpenseRow,
  WorkMatterRow,
} from '../compliance/work.repository.js';
import { queueExceptionAlerts } from '../notifications/notify-exceptions.js';
import type { LineCorrection } from './valuation.js';

/** One client's part of a bill-run chunk. */
export interface ClientWork {
  client: { id: number; client_code: string; currency: string };
  matters: readonly WorkMatterRow[];
  approvals: readonly ApprovalRow[];
  rates: readonly RateCandidate[];
  /** New work, entries carrying the rate they were valued at. */
  entries: readonly WorkEntryRow[];
  expenses: readonly WorkExpenseRow[];
  /** Entries already on the drafts, as neighbours for daily totals and duplicates. */
  context: readonly WorkEntryRow[];
  period: BillingPeriod;
}

export interface Judgement {
  rules: ClientRules;
  owners: OwnerDirectory;
  /** Corrections by `time_entry:<id>` or `expense:<id>`. */
  corrections: Map<string, LineCorrection[]>;
}

/** Judges one client's new work and syncs its exceptions; returns the corrections to apply. */
export async function judgeWork(
  trx: Kysely<DB>,
  actor: Actor,
  now: Date,
  work: ClientWork,
): Promise<Judgement> {
  const rules = await loadClientRules(trx, work.client.id);
  const context = new WorkContext(work.client, work.matters, work.approvals, work.rates);
  const judgedEntries = new Set(work.entries.map((e) => e.id));
  const judgedExpenses = new Set(work.expenses.map((e) => e.id));
  const batch = buildBatch(context, [...work.entries, ...work.context], work.expenses, (row) =>
    'entry_id' in row ? judgedEntries.has(row.id) : judgedExpenses.has(row.id),
  );
  const owners = await OwnerDirectory.load(
    trx,
    ownerTimekeepers(batch.refs.values(), work.matters),
  );
  const corrections = new Map<string, LineCorrection[]>();
  if (rules.segments.length === 0) return { rules, owners, corrections };
  const findings = attachRefs(
    evaluateWork(rules, { ...batch.input, period: work.period }),
    batch.refs,
  );
  await syncExceptions(trx, actor, now, {
    judged: batch.refs.values(),
    findings,
    rules,
    owners,
    matterOf: (id) => context.matter(id),
    trigger: 'bill_run',
  });
  for (const finding of findings) {
    if (finding.severity !== 'adjust' || finding.correction === undefined) continue;
    const key = `${finding.entity}:${finding.entityDbId}`;
    const list = corrections.get(key) ?? [];
    list.push({ ruleId: finding.ruleId, correction: finding.correction });
    corrections.set(key, list);
  }
  return { rules, owners, corrections };
}

/** One draft for the invoice-level rules. */
export interface DraftToJudge {
  judgement: Judgement;
  matter: WorkMatterRow;
  invoiceId: number;
  invoice: InvoiceInput;
}

/**
 * Runs the invoice-level rules on drafts and keeps their invoice exceptions in step: new
 * findings open one, findings that no longer hold resolve theirs, waived ones stay waived.
 * One read, one insert and one update for all the drafts.
 */
export async function judgeInvoices(
  trx: Kysely<DB>,
  now: Date,
  drafts: readonly DraftToJudge[],
): Promise<void> {
  if (drafts.length === 0) return;
  const live = await trx
    .selectFrom('guideline_exception')
    .select(['id', 'fingerprint', 'state'])
    .where(sql<boolean>`invoice_id = any(${drafts.map((d) => d.invoiceId)}::bigint[])`)
    .where('state', 'in', ['open', 'waived'])
    .execute();
  const byFingerprint = new Map(live.map((row) => [row.fingerprint, row]));
  const seen = new Set<string>();
  const inserts: NewException[] = [];
  for (const { judgement, matter, invoiceId, invoice } of drafts) {
    const compiled = rulesOn(judgement.rules, invoice.period.end);
    const findings: Finding[] =
      compiled === null
        ? []
        : evaluateInvoice(compiled, invoice).filter((f) => f.entity === 'invoice');
    for (const finding of findings) {
      const fingerprint = `${finding.ruleId}|invoice|${invoiceId}`;
      if (seen.has(fingerprint)) continue;
      seen.add(fingerprint);
      if (byFingerprint.has(fingerprint)) continue;
      inserts.push({
        fingerprint,
        rule_id: finding.ruleId,
        rule_kind: finding.kind,
        guideline_version_id: versionIdOf(judgement.rules, finding),
        severity: finding.severity,
        owner_role: finding.owner,
        owner_user_id: ownerOfInvoice(judgement.owners, finding.owner, matter),
        entity_type: 'invoice',
        invoice_id: invoiceId,
        entity_external_id: invoice.id,
        matter_id: matter.id,
        message: finding.message,
        correction: null,
        opened_at: now,
        last_seen_at: now,
      });
    }
  }
  const opened = (await insertExceptions(trx, inserts)).map((row) => row.id);
  await queueExceptionAlerts(trx, now, opened);
  const gone = live.filter((row) => row.state === 'open' && !seen.has(row.fingerprint));
  if (gone.length > 0)
    await trx
      .updateTable('guideline_exception')
      .set({ state: 'resolved', resolved_at: now, updated_at: now, version: sql`version + 1` })
      .where(sql<boolean>`id = any(${gone.map((r) => r.id)}::bigint[])`)
      .execute();
}

function ownerOfInvoice(owners: OwnerDirectory, role: RuleOwner, matter: WorkMatterRow) {
  // An invoice finding has no timekeeper of its own; the matter's people own it.
  return owners.ownerOf(
    role,
    { entity: 'time_entry', id: 0, matterId: matter.id, timekeeperId: null },
    matter,
  );
}
