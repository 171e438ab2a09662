/**
 * Why portals rejected or reduced invoices, and whether a check would have caught it: each
 * reason code with its count, the amount it cost and the rule kinds the reason-code map names
 * ("would have been caught by rule …"), or "not preventable" when it names none.
 */
import type { AppContext } from '../../config/context.js';
import { findReason } from '../../domain/ebilling/reason-map.js';
import type { Actor } from '../../domain/policy.js';
import { visibleMatterIds } from '../matters/matter-access.js';
import * as repo from './ebilling.repository.js';
import { reasonMapInForce } from './reason-map.js';

export interface RejectionReason {
  reason_code: string;
  description: string | null;
  rejected: number;
  reduced: number;
  /** What reductions under this reason took off the invoices, in cents (negative). */
  reduced_by_cents: number;
  invoices: string[];
  /** The rule kinds and readiness checks the map names; empty when none could have caught it. */
  rule_kinds: string[];
  /** True when a check would have caught it; null when the map does not know the reason code. */
  preventable: boolean | null;
  /** "would have been caught by rule approved_rate or rate_cap", "not preventable", or "not in the reason-code map". */
  verdict: string;
}

export interface RejectionReport {
  from: string;
  to: string;
  /** The reason-code map used (null = the built-in default). */
  reason_map_version: number | null;
  responses: number;
  preventable: number;
  not_preventable: number;
  unmapped: number;
  reasons: RejectionReason[];
  /** Each reduced answer: billed total as billed, the amount approved, what the client owes now. */
  reductions: RejectionReduction[];
}

export interface RejectionReduction {
  invoice_number: string;
  client_code: string;
  reason_code: string;
  response_date: string;
  billed_total_cents: number;
  amount_approved_cents: number;
  amount_due_cents: number;
}

/**
 * The rejection report for answers dated `from`–`to` (inclusive) on matters the actor may see,
 * optionally only of one client or practice area.
 */
export async function rejectionReport(
  ctx: AppContext,
  actor: Actor,
  from: string,
  to: string,
  filter: { clientCode?: string | undefined; practiceArea?: string | undefined } = {},
): Promise<RejectionReport> {
  const [rows, inForce] = await Promise.all([
    repo.findRejections(ctx.db, visibleMatterIds(ctx.db, actor, 'work'), from, to, filter),
    reasonMapInForce(ctx.db),
  ]);
  const byCode = new Map<string, RejectionReason>();
  const reductions: RejectionReduction[] = [];
  for (const row of rows) {
    if (row.status === 'reduced')
      reductions.push({
        invoice_number: row.invoice_number,
        client_code: row.client_code,
        reason_code: row.reason_code ?? '',
        response_date: row.response_date,
        billed_total_cents: Number(row.total_cents),
        amount_approved_cents: Number(row.amount_approved_cents ?? 0),
        amount_due_cents: Number(row.amount_due_cents),
      });
    const code = (row.reason_code ?? '').trim() || '(none)';
    let reason = byCode.get(code.toUpperCase());
    if (reason === undefined) {
      const mapping = findReason(inForce.map, code);
      const kinds = mapping?.ruleKinds ?? [];
      reason = {
        reason_code: code,
        description: mapping?.description || null,
        rejected: 0,
        reduced: 0,
        reduced_by_cents: 0,
        invoices: [],
        rule_kinds: kinds,
        preventable: mapping === undefined ? null : kinds.length > 0,
        verdict:
          mapping === undefined
            ? 'not in the reason-code map'
            : kinds.length > 0
              ? `would have been caught by rule ${kinds.join(' or ')}`
              : 'not preventable',
      };
      byCode.set(code.toUpperCase(), reason);
    }
    if (row.status === 'rejected') reason.rejected++;
    else {
      reason.reduced++;
      reason.reduced_by_cents += Number(row.amount_approved_cents ?? 0) - Number(row.total_cents);
    }
    if (!reason.invoices.includes(row.invoice_number)) reason.invoices.push(row.invoice_number);
  }
  const reasons = [...byCode.values()].sort(
    (a, b) =>
      b.rejected + b.reduced - (a.rejected + a.reduced) ||
      a.reason_code.localeCompare(b.reason_code),
  );
  const count = (p: (r: RejectionReason) => boolean) =>
    reasons.filter(p).reduce((sum, r) => sum + r.rejected + r.reduced, 0);
  return {
    from,
    to,
    reason_map_version: inForce.version,
    responses: rows.length,
    preventable: count((r) => r.preventable === true),
    not_preventable: count((r) => r.preventable === false),
    unmapped: count((r) => r.preventable === null),
    reasons,
    reductions,
  };
}
