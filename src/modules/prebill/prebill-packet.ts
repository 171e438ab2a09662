/**
 * The pre-bill packet: everything a reviewer or approver needs on one invoice, for internal
 * eyes only (it carries internal notes): client, matter, period, fee arrangement, responsible
 * attorney; worked against billed and the write-downs; the budget; the top open exceptions with
 * their owners; open questions; the lines grouped by timekeeper and task. Loaded once, then
 * rendered as HTML (`renderPrebillHtml`) or PDF (`renderPrebillPdf`).
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../config/context.js';
import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { guarded, maskFields, reworded } from '../../http/field-rules.js';
import { withoutMoney } from '../compliance/findings.schemas.js';
import { visibilityOf } from '../field-visibility/field-visibility.service.js';
import * as repo from '../invoices/invoices.repository.js';
import { WRITE_DOWN_KINDS } from './prebill.repository.js';

export interface PrebillLine {
  line_number: number;
  line_type: string;
  work_date: string | null;
  task_code: string | null;
  activity_code: string | null;
  description: string;
  units: string;
  worked_units: string | null;
  unit_cost_cents: number;
  amount_cents: number;
  worked_amount_cents: number | null;
  disposition: string;
  internal_note: string | null;
}

export interface PrebillGroup {
  timekeeper: string;
  tasks: { task_code: string; lines: PrebillLine[]; worked_cents: number; billed_cents: number }[];
  worked_cents: number;
  billed_cents: number;
}

export interface Prebill {
  invoice_number: string;
  state: string;
  owner: string | null;
  client: { code: string; name: string };
  matter: { code: string; name: string; client_matter_id: string | null };
  period_start: string;
  period_end: string;
  currency: string;
  fee_arrangement: string;
  fee_amount_cents: number | null;
  responsible_attorney: string;
  billing_partner: string;
  totals: {
    worked_fees_cents: number;
    fees_cents: number;
    expenses_cents: number;
    adjustments_cents: number;
    total_cents: number;
    write_downs_cents: number;
    pending_write_downs_cents: number;
    pending_write_downs: number;
  };
  budget: {
    budget_cents: number | null;
    billed_before_cents: number;
    with_this_invoice_cents: number;
    remaining_cents: number | null;
    /** Hundredths of a percent of the budget used with this invoice. */
    used_basis_points: number | null;
  };
  exceptions: {
    rule_id: string;
    rule_kind: string;
    severity: string;
    message: string;
    owner: string;
    entity: string;
  }[];
  questions: { timekeeper: string; question: string; asked_at: Date; line_number: number | null }[];
  adjustments: {
    kind: string;
    field: string | null;
    line_number: number | null;
    amount_cents: number;
    /** Null when the actor may not see write-down reasons. */
    reason: string | null;
    note: string | null;
    state: string;
    requested_by: string | null;
  }[];
  groups: PrebillGroup[];
  /** Lines with no timekeeper: expenses without one, invoice-level adjustments. */
  other_lines: PrebillLine[];
}

const money = guarded('rates', z.number().nullable());
const reason = guarded('reasons', z.string().nullable());
const lineRules = z.object({
  unit_cost_cents: money,
  amount_cents: money,
  worked_amount_cents: money,
});
const subtotalRules = { worked_cents: money, billed_cents: money };

/**
 * The packet's fields under field-level rules (docs/security.md): money is null for roles that
 * may not see rates and amounts, reasons and their notes for roles that may not see reasons.
 * Only the guarded paths are listed; `maskFields` leaves every other field as it is.
 */
export const prebillFieldRules = z.object({
  fee_amount_cents: money,
  totals: z.object({
    worked_fees_cents: money,
    fees_cents: money,
    expenses_cents: money,
    adjustments_cents: money,
    total_cents: money,
    write_downs_cents: money,
    pending_write_downs_cents: money,
  }),
  budget: z.object({
    budget_cents: money,
    billed_before_cents: money,
    with_this_invoice_cents: money,
    remaining_cents: money,
    used_basis_points: money,
  }),
  adjustments: z.array(z.object({ amount_cents: money, reason, note: reason })),
  // A message quoting a rate (a rate cap's finding) is reworded.
  exceptions: z.array(reworded('rates', z.object({}), withoutMoney('rule_kind'))),
  groups: z.array(
    z.object({
      ...subtotalRules,
      tasks: z.array(z.object({ ...subtotalRules, lines: z.array(lineRules) })),
    }),
  ),
  other_lines: z.array(lineRules),
});

/** Exceptions listed in the packet, most severe and oldest first. */
export const TOP_EXCEPTIONS = 10;

/**
 * Loads the packet of an invoice the actor may see, by id or number (404 otherwise), with the
 * fields the actor's roles may not see set to null.
 */
export async function loadPrebill(
  app: AppContext,
  actor: Actor,
  key: { id?: number; number?: string },
): Promise<Prebill> {
  const packet = await loadWholePrebill(app, actor, key);
  return maskFields(prebillFieldRules, packet, await visibilityOf(app.db, actor));
}

async function loadWholePrebill(
  app: AppContext,
  actor: Actor,
  key: { id?: number; number?: string },
): Promise<Prebill> {
  const db = app.db;
  const invoice = await repo.findVisibleInvoice(db, actor, key);
  if (!invoice) throw notFound('INVOICE_NOT_FOUND', `No invoice ${key.number ?? key.id}.`);
  const id = Number(invoice.id);
  const matter = await db
    .selectFrom('matter as m')
    .innerJoin('client as c', 'c.id', 'm.client_id')
    .innerJoin('timekeeper as ra', 'ra.id', 'm.responsible_attorney_id')
    .innerJoin('timekeeper as bp', 'bp.id', 'm.billing_partner_id')
    .select([
      'm.matter_code',
      'm.name',
      'm.client_matter_id',
      'm.fee_amount_cents',
      'm.budget_cents',
      'c.client_code',
      'c.name as client_name',
      sql<string>`ra.first_name || ' ' || ra.last_name || ' (' || ra.timekeeper_code || ')'`.as(
        'attorney',
      ),
      sql<string>`bp.first_name || ' ' || bp.last_name || ' (' || bp.timekeeper_code || ')'`.as(
        'partner',
      ),
    ])
    .where('m.id', '=', invoice.matter_id)
    .executeTakeFirstOrThrow();
  const [lines, adjustments, exceptions, questions, billedBefore, owner, timekeepers] =
    await Promise.all([
      repo.findLines(db, [id]),
      db
        .selectFrom('invoice_adjustment as a')
        .leftJoin('invoice_line as l', 'l.id', 'a.invoice_line_id')
        .leftJoin('adjustment_reason as r', 'r.code', 'a.reason_code')
        .leftJoin('app_user as u', 'u.id', 'a.requested_by')
        .select([
          'a.kind',
          'a.field',
          'l.line_number',
          'a.amount_cents',
          sql<string>`coalesce(r.label, a.reason_code)`.as('reason'),
          'a.note',
          'a.state',
          'u.name as requested_by',
        ])
        .where('a.invoice_id', '=', id)
        .orderBy('a.id')
        .execute(),
      db
        .selectFrom('guideline_exception as g')
        .leftJoin('app_user as u', 'u.id', 'g.owner_user_id')
        .select([
          'g.rule_id',
          'g.rule_kind',
          'g.severity',
          'g.message',
          'g.owner_role',
          'u.name as owner_name',
          'g.entity_type',
          'g.entity_external_id',
        ])
        .where('g.state', '=', 'open')
        .where((eb) =>
          eb.or([
            eb('g.invoice_id', '=', id),
            eb(
              'g.time_entry_id',
              'in',
              eb
                .selectFrom('invoice_line')
                .select('time_entry_id')
                .where('invoice_id', '=', id)
                .where('disposition', 'in', ['bill', 'no_charge']),
            ),
            eb(
              'g.expense_id',
              'in',
              eb
                .selectFrom('invoice_line')
                .select('expense_id')
                .where('invoice_id', '=', id)
                .where('disposition', 'in', ['bill', 'no_charge']),
            ),
          ]),
        )
        .orderBy(sql`case g.severity when 'block' then 0 when 'warn' then 1 else 2 end`)
        .orderBy('g.opened_at')
        .orderBy('g.id')
        .limit(TOP_EXCEPTIONS)
        .execute(),
      db
        .selectFrom('invoice_question as q')
        .innerJoin('timekeeper as tk', 'tk.id', 'q.timekeeper_id')
        .leftJoin('invoice_line as l', 'l.id', 'q.invoice_line_id')
        .select([
          sql<string>`tk.first_name || ' ' || tk.last_name || ' (' || tk.timekeeper_code || ')'`.as(
            'timekeeper',
          ),
          'q.question',
          'q.asked_at',
          'l.line_number',
        ])
        .where('q.invoice_id', '=', id)
        .where('q.state', '=', 'open')
        .orderBy('q.asked_at')
        .execute(),
      db
        .selectFrom('invoice as i')
        .select(sql<string>`coalesce(sum(i.total_cents), 0)`.as('total'))
        .where('i.matter_id', '=', invoice.matter_id)
        .where('i.id', '<>', id)
        .where('i.state', '<>', 'void')
        .executeTakeFirstOrThrow(),
      invoice.owner_user_id === null
        ? Promise.resolve(undefined)
        : db
            .selectFrom('app_user')
            .select('name')
            .where('id', '=', Number(invoice.owner_user_id))
            .executeTakeFirst(),
      db
        .selectFrom('timekeeper')
        .select([
          'id',
          sql<string>`first_name || ' ' || last_name || ' (' || timekeeper_code || ')'`.as('label'),
        ])
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('invoice_line')
            .select('timekeeper_id')
            .where('invoice_id', '=', id)
            .where('timekeeper_id', 'is not', null),
        )
        .execute(),
    ]);

  const names = new Map(timekeepers.map((t) => [Number(t.id), t.label]));
  const groups = new Map<string, PrebillGroup>();
  const other: PrebillLine[] = [];
  for (const l of lines) {
    const line: PrebillLine = {
      line_number: l.line_number,
      line_type: l.line_type,
      work_date: l.work_date,
      task_code: l.task_code,
      activity_code: l.activity_code,
      description: l.description,
      units: l.units,
      worked_units: l.worked_units,
      unit_cost_cents: Number(l.unit_cost_cents),
      amount_cents: Number(l.amount_cents),
      worked_amount_cents: l.worked_amount_cents === null ? null : Number(l.worked_amount_cents),
      disposition: l.disposition,
      internal_note: l.internal_note,
    };
    if (l.timekeeper_id === null) {
      other.push(line);
      continue;
    }
    const who = names.get(Number(l.timekeeper_id)) ?? String(l.timekeeper_id);
    const group = groups.get(who) ?? {
      timekeeper: who,
      tasks: [],
      worked_cents: 0,
      billed_cents: 0,
    };
    groups.set(who, group);
    const taskCode = l.task_code ?? (l.line_type === 'E' ? 'expenses' : 'no task code');
    let task = group.tasks.find((t) => t.task_code === taskCode);
    if (!task) {
      task = { task_code: taskCode, lines: [], worked_cents: 0, billed_cents: 0 };
      group.tasks.push(task);
    }
    task.lines.push(line);
    const live = l.disposition === 'bill' || l.disposition === 'no_charge';
    const worked = line.worked_amount_cents ?? 0;
    const billed = live ? line.amount_cents : 0;
    task.worked_cents += worked;
    task.billed_cents += billed;
    group.worked_cents += worked;
    group.billed_cents += billed;
  }
  const sortedGroups = [...groups.values()].sort((a, b) =>
    a.timekeeper.localeCompare(b.timekeeper),
  );
  for (const g of sortedGroups) g.tasks.sort((a, b) => a.task_code.localeCompare(b.task_code));

  const writeDowns = adjustments.filter((a) =>
    (WRITE_DOWN_KINDS as readonly string[]).includes(a.kind),
  );
  const total = Number(invoice.total_cents);
  const before = Number(billedBefore.total);
  const budget = matter.budget_cents === null ? null : Number(matter.budget_cents);
  return {
    invoice_number: invoice.invoice_number,
    state: invoice.state,
    owner: owner?.name ?? invoice.owner_role,
    client: { code: matter.client_code, name: matter.client_name },
    matter: {
      code: matter.matter_code,
      name: matter.name,
      client_matter_id: matter.client_matter_id,
    },
    period_start: invoice.period_start,
    period_end: invoice.period_end,
    currency: invoice.currency,
    fee_arrangement: invoice.fee_arrangement,
    fee_amount_cents: matter.fee_amount_cents === null ? null : Number(matter.fee_amount_cents),
    responsible_attorney: matter.attorney,
    billing_partner: matter.partner,
    totals: {
      worked_fees_cents: Number(invoice.worked_fees_cents),
      fees_cents: Number(invoice.fees_cents),
      expenses_cents: Number(invoice.expenses_cents),
      adjustments_cents: Number(invoice.adjustments_cents),
      total_cents: total,
      write_downs_cents: -writeDowns
        .filter((a) => a.state === 'applied')
        .reduce((s, a) => s + Number(a.amount_cents), 0),
      pending_write_downs_cents: -writeDowns
        .filter((a) => a.state === 'pending')
        .reduce((s, a) => s + Number(a.amount_cents), 0),
      pending_write_downs: writeDowns.filter((a) => a.state === 'pending').length,
    },
    budget: {
      budget_cents: budget,
      billed_before_cents: before,
      with_this_invoice_cents: before + total,
      remaining_cents: budget === null ? null : budget - before - total,
      used_basis_points:
        budget === null || budget === 0
          ? null
          : Number((BigInt(before + total) * 10000n) / BigInt(budget)),
    },
    exceptions: exceptions.map((e) => ({
      rule_id: e.rule_id,
      rule_kind: e.rule_kind,
      severity: e.severity,
      message: e.message,
      owner: e.owner_name === null ? e.owner_role : `${e.owner_name} (${e.owner_role})`,
      entity: `${e.entity_type} ${e.entity_external_id}`,
    })),
    questions: questions.map((q) => ({
      timekeeper: q.timekeeper,
      question: q.question,
      asked_at: q.asked_at,
      line_number: q.line_number,
    })),
    adjustments: adjustments.map((a) => ({
      kind: a.kind,
      field: a.field,
      line_number: a.line_number,
      amount_cents: Number(a.amount_cents),
      reason: a.reason,
      note: a.note,
      state: a.state,
      requested_by: a.requested_by,
    })),
    groups: sortedGroups,
    other_lines: other,
  };
}
