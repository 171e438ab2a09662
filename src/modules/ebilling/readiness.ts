/**
 * E-billing readiness: would the client's portal take this invoice on the first try? The check
 * writes the would-be LEDES file, validates it with the same validator `ledes validate` uses,
 * and adds what only Matterflow knows: the client's e-billing profile, approved timekeepers and
 * rates, required codes, open blocking exceptions and the invoice number's uniqueness. Every
 * problem names who must fix it (a role and, where the matter says, the user).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../domain/errors.js';
import {
  mapClassification,
  type ClassificationMapping,
} from '../../domain/ledes/classification.js';
import type { CleanedValue, LedesFormat, LedesProblem } from '../../domain/ledes/index.js';
import { validateLedes, writeLedes1998B, writeLedes98BI } from '../../domain/ledes/index.js';
import { parseTaxRate } from '../../domain/ledes/line-amounts.js';
import {
  buildLedesInvoice,
  classificationMappingOf,
  ledesFormatOf,
  taxRateOf,
} from './build-ledes-invoice.js';
import * as repo from './ebilling.repository.js';

/** Who must act on a problem. */
export type OwnerRole =
  'billing_coordinator' | 'responsible_attorney' | 'billing_partner' | 'legal_ops' | 'timekeeper';

export interface ProblemOwner {
  role: OwnerRole;
  /** The user who holds the role on this matter; null when nobody active does. */
  user_id: number | null;
  email: string | null;
}

export interface ReadinessProblem {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  /** The invoice line (its `line_number`), when the problem is on one. */
  line_number: number | null;
  /** The LEDES field, when the problem is in one. */
  field: string | null;
  owner: ProblemOwner;
}

export interface ReadinessReport {
  invoice_id: number;
  invoice_number: string;
  /** The client's format; null when the client is not set up for LEDES. */
  format: 'LEDES1998B' | 'LEDES98BI' | null;
  /** True when no problem is an error (warnings allowed). */
  ready: boolean;
  problems: ReadinessProblem[];
  /** Values changed to fit the format (`|`, `[]`, line breaks), with the file line they are on. */
  cleaned: CleanedValue[];
}

/** The report and, when the file could be written, its text. */
export interface ReadinessResult {
  report: ReadinessReport;
  file: { text: string; format: LedesFormat } | null;
}

/** Every code a readiness problem may carry besides the validator's (`LEDES_<code>`). */
export const READINESS_CODES = [
  'CLIENT_NOT_ON_LEDES',
  'PORTAL_CLIENT_ID_MISSING',
  'LAW_FIRM_ID_MISSING',
  'TAX_RATE_INVALID',
  'CLIENT_MATTER_ID_MISSING',
  'INVOICE_NUMBER_NOT_UNIQUE',
  'INVOICE_HAS_NO_LINES',
  'TIMEKEEPER_NOT_APPROVED',
  'RATE_ABOVE_APPROVED',
  'TASK_CODE_MISSING',
  'ACTIVITY_CODE_MISSING',
  'EXPENSE_CODE_MISSING',
  'CLASSIFICATION_UNMAPPED',
  'OPEN_BLOCKING_EXCEPTION',
  'LEDES_INPUT_INVALID',
] as const;

/** Fields the profile checks below already report, so the validator's twin is not repeated. */
const PROFILE_FIELDS: Record<string, string> = {
  PORTAL_CLIENT_ID_MISSING: 'CLIENT_ID',
  LAW_FIRM_ID_MISSING: 'LAW_FIRM_ID',
  CLIENT_MATTER_ID_MISSING: 'CLIENT_MATTER_ID',
};

/** Checks invoice `invoiceId` (already known to be visible to the caller). */
export async function checkReadiness(db: Kysely<DB>, invoiceId: number): Promise<ReadinessResult> {
  const invoice = await repo.findLedesInvoice(db, invoiceId);
  if (!invoice) throw new AppError('not_found', 'INVOICE_NOT_FOUND', `No invoice ${invoiceId}.`);
  const [lines, approved, exceptions, clashes] = await Promise.all([
    repo.findLedesLines(db, invoiceId),
    repo.findApprovedTimekeepers(db, invoice.matter_id),
    repo.findOpenBlockingExceptions(db, invoiceId),
    repo.findClashingInvoiceNumbers(db, invoice.client_id, invoiceId, invoice.invoice_number),
  ]);
  const timekeeperIds = [
    invoice.responsible_attorney_id,
    invoice.billing_partner_id,
    ...lines.flatMap((l) => (l.timekeeper_id === null ? [] : [l.timekeeper_id])),
  ].map(Number);
  const userIds = [
    ...(invoice.billing_coordinator_id === null ? [] : [invoice.billing_coordinator_id]),
    ...exceptions.flatMap((e) => (e.owner_user_id === null ? [] : [e.owner_user_id])),
  ].map(Number);
  const users = await repo.findOwnerUsers(db, timekeeperIds, userIds);
  const byId = new Map(users.map((u) => [Number(u.id), u]));
  const byTimekeeper = new Map<number, (typeof users)[number]>();
  for (const u of users)
    if (u.timekeeper_id !== null && !byTimekeeper.has(Number(u.timekeeper_id)))
      byTimekeeper.set(Number(u.timekeeper_id), u);
  const legalOps = users.find((u) => u.roles.includes('legal_ops')) ?? null;
  const userOwner = (role: OwnerRole, user: (typeof users)[number] | null | undefined) => ({
    role,
    user_id: user ? Number(user.id) : null,
    email: user?.email ?? null,
  });
  const owner = (role: OwnerRole, timekeeperId: number | null = null): ProblemOwner => {
    switch (role) {
      case 'billing_coordinator':
        return userOwner(
          role,
          invoice.billing_coordinator_id === null
            ? null
            : byId.get(Number(invoice.billing_coordinator_id)),
        );
      case 'responsible_attorney':
        return userOwner(role, byTimekeeper.get(Number(invoice.responsible_attorney_id)));
      case 'billing_partner':
        return userOwner(role, byTimekeeper.get(Number(invoice.billing_partner_id)));
      case 'legal_ops':
        return userOwner(role, legalOps);
      case 'timekeeper':
        return userOwner(role, timekeeperId === null ? null : byTimekeeper.get(timekeeperId));
    }
  };

  const problems: ReadinessProblem[] = [];
  const add = (
    code: string,
    message: string,
    who: ProblemOwner,
    where: { line?: number | null; field?: string | null; severity?: 'error' | 'warning' } = {},
  ) =>
    problems.push({
      code,
      severity: where.severity ?? 'error',
      message,
      line_number: where.line ?? null,
      field: where.field ?? null,
      owner: who,
    });

  // The client's e-billing profile (legal ops keeps master data).
  const format = invoice.ebilling_format === 'none' ? null : invoice.ebilling_format;
  if (format === null)
    add(
      'CLIENT_NOT_ON_LEDES',
      `Client ${invoice.client_code} is not set up for LEDES e-billing: choose LEDES1998B or LEDES98BI in its e-billing profile.`,
      owner('legal_ops'),
    );
  if ((invoice.ebilling_client_id ?? '').trim() === '')
    add(
      'PORTAL_CLIENT_ID_MISSING',
      `Client ${invoice.client_code} has no portal client id (CLIENT_ID): add the id the portal knows the client by to its e-billing profile.`,
      owner('legal_ops'),
      { field: 'CLIENT_ID' },
    );
  if ((invoice.law_firm_id ?? '').trim() === '')
    add(
      'LAW_FIRM_ID_MISSING',
      `Client ${invoice.client_code} has no law firm id (LAW_FIRM_ID): add the firm's id at this client to its e-billing profile.`,
      owner('legal_ops'),
      { field: 'LAW_FIRM_ID' },
    );
  const taxRate = taxRateOf(invoice);
  if (format === 'LEDES98BI' && taxRate !== null && parseTaxRate(taxRate) === null)
    add(
      'TAX_RATE_INVALID',
      `The tax rate ${JSON.stringify(taxRate)} is not a decimal fraction with at most 6 decimals.`,
      owner('legal_ops'),
      { field: 'LINE_ITEM_TAX_RATE' },
    );
  if ((invoice.client_matter_id ?? '').trim() === '')
    add(
      'CLIENT_MATTER_ID_MISSING',
      `Matter ${invoice.matter_code} has no client matter id: portals file invoices under the client's own matter reference.`,
      owner('billing_coordinator'),
      { field: 'CLIENT_MATTER_ID' },
    );
  if (clashes.length > 0)
    add(
      'INVOICE_NUMBER_NOT_UNIQUE',
      `Invoice number ${invoice.invoice_number} is also used by ${clashes.map((c) => c.invoice_number).join(', ')} for the same client; portals refuse a number they have seen.`,
      owner('billing_coordinator'),
      { field: 'INVOICE_NUMBER' },
    );
  if (lines.length === 0)
    add('INVOICE_HAS_NO_LINES', 'The invoice has no billed lines.', owner('billing_coordinator'));

  // Lines: approved timekeepers and rates, required codes, classification codes.
  const mapping: ClassificationMapping = classificationMappingOf(invoice);
  const approvedRates = new Map(
    approved.map((a) => [Number(a.timekeeper_id), a.approved_rate_cents]),
  );
  const unmapped = new Set<string>();
  for (const line of lines) {
    const at = { line: line.line_number };
    const tk = line.timekeeper_id === null ? null : Number(line.timekeeper_id);
    if (line.line_type === 'F' && line.time_entry_id !== null) {
      if (tk !== null && approvedRates.size > 0 && !approvedRates.has(tk))
        add(
          'TIMEKEEPER_NOT_APPROVED',
          `${line.timekeeper_code} is not an approved timekeeper on matter ${invoice.matter_code}: have the client approve them or take the line off.`,
          owner('responsible_attorney'),
          { ...at, field: 'TIMEKEEPER_ID' },
        );
      const rate = tk === null ? null : (approvedRates.get(tk) ?? null);
      if (rate !== null && Number(line.unit_cost_cents) > Number(rate))
        add(
          'RATE_ABOVE_APPROVED',
          `${line.timekeeper_code} is billed at ${Number(line.unit_cost_cents) / 100} but the approved rate is ${Number(rate) / 100}.`,
          owner('responsible_attorney'),
          { ...at, field: 'LINE_ITEM_UNIT_COST' },
        );
      if ((line.task_code ?? '') === '')
        add('TASK_CODE_MISSING', 'The fee line has no UTBMS task code.', owner('timekeeper', tk), {
          ...at,
          field: 'LINE_ITEM_TASK_CODE',
        });
      if ((line.activity_code ?? '') === '')
        add(
          'ACTIVITY_CODE_MISSING',
          'The fee line has no UTBMS activity code.',
          owner('timekeeper', tk),
          { ...at, field: 'LINE_ITEM_ACTIVITY_CODE' },
        );
    }
    if (line.line_type === 'E' && (line.expense_code ?? '') === '')
      add(
        'EXPENSE_CODE_MISSING',
        'The expense line has no UTBMS expense code.',
        owner('billing_coordinator'),
        { ...at, field: 'LINE_ITEM_EXPENSE_CODE' },
      );
    const classification = line.classification;
    if (classification !== null && mapClassification(classification, mapping) === null) {
      unmapped.add(classification);
      add(
        'CLASSIFICATION_UNMAPPED',
        `The client's classification codes have none for ${classification} (${line.timekeeper_code}): add it to the client's classification map.`,
        owner('legal_ops'),
        { ...at, field: 'TIMEKEEPER_CLASSIFICATION' },
      );
    }
  }

  for (const e of exceptions)
    add(
      'OPEN_BLOCKING_EXCEPTION',
      `Exception ${e.id} (${e.rule_id}) is open: ${e.message}`,
      userOwner(
        e.owner_role as OwnerRole,
        e.owner_user_id === null ? null : byId.get(Number(e.owner_user_id)),
      ),
    );

  // The would-be file, checked as a portal's first pass would.
  const { invoice: model, lineNumbers } = buildLedesInvoice(invoice, lines);
  const ledesFormat = ledesFormatOf(invoice);
  let file: ReadinessResult['file'] = null;
  let cleaned: CleanedValue[] = [];
  if (lines.length > 0 && unmapped.size === 0) {
    try {
      const written =
        ledesFormat === 'LEDES98BI V2'
          ? writeLedes98BI([model], { classification: mapping })
          : writeLedes1998B([model], { classification: mapping });
      file = { text: written.text, format: ledesFormat };
      cleaned = written.cleaned;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'LEDES_INPUT_INVALID') throw error;
      const issues = (error.details as { issues: { field: string; message: string }[] }).issues;
      for (const issue of issues) {
        const index = /lines\[(\d+)\]/.exec(issue.field)?.[1];
        add(
          'LEDES_INPUT_INVALID',
          `${issue.field} ${issue.message}`,
          owner('billing_coordinator'),
          {
            line: index === undefined ? null : (lineNumbers[Number(index)] ?? null),
          },
        );
      }
    }
  }
  if (file !== null) {
    const reported = new Set(
      problems.flatMap((p) => (PROFILE_FIELDS[p.code] ? [PROFILE_FIELDS[p.code]] : [])),
    );
    for (const p of validateLedes(file.text).problems) {
      if (p.field !== null && reported.has(p.field)) continue;
      const lineNumber = p.line >= 3 ? (lineNumbers[p.line - 3] ?? null) : null;
      const line = lineNumber === null ? undefined : lines[p.line - 3];
      add(`LEDES_${p.code}`, `${p.field ?? 'record'}: ${p.message}`, validatorOwner(p, line), {
        line: lineNumber,
        field: p.field,
        severity: p.severity,
      });
    }
  }

  function validatorOwner(p: LedesProblem, line: repo.LedesLineRow | undefined): ProblemOwner {
    // A wrong task or activity code is the timekeeper's to fix; everything else the coordinator's.
    if (
      line?.timekeeper_id != null &&
      (p.field === 'LINE_ITEM_TASK_CODE' || p.field === 'LINE_ITEM_ACTIVITY_CODE')
    )
      return owner('timekeeper', Number(line.timekeeper_id));
    return owner('billing_coordinator');
  }

  return {
    report: {
      invoice_id: Number(invoice.id),
      invoice_number: invoice.invoice_number,
      format,
      ready: !problems.some((p) => p.severity === 'error'),
      problems,
      cleaned,
    } as ReadinessReport,
    file,
  };
}
