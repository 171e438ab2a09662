/**
 * Invoices for e-billing tests: a LEDES client, a matter with approved timekeepers, released work
 * in October 2026 and a bill run, with every name and code fixed so written files are stable.
 */
import type { Insertable, Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { ClientTable, DB, MatterTable } from '../../db/schema.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import {
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildReleasedExpense,
  buildTimekeeper,
  buildUser,
} from '../../test/factories.js';
import { runBillRun } from '../invoices/bill-run.js';
import { recomputeTotals } from '../invoices/invoices.repository.js';

export interface LedesCase {
  /** Client and matter codes (the invoice number starts with the client code). */
  code: string;
  client?: Partial<Insertable<ClientTable>>;
  matter?: Partial<Insertable<MatterTable>>;
  /** Leave the timekeepers off the matter's approved list. */
  noApprovedList?: boolean;
}

export interface BilledCase {
  invoiceId: number;
  invoiceNumber: string;
  matterId: number;
  clientId: number;
  coordinatorId: number;
  partnerUserId: number;
  associateUserId: number;
  associateId: number;
}

/**
 * Bills one matter for October 2026: a partner and an associate with two entries each (one
 * with a `|` and a line break in its narrative), and one expense.
 */
export async function billCase(db: Kysely<DB>, ctx: AppContext, c: LedesCase): Promise<BilledCase> {
  const client = await buildClient(db, {
    client_code: c.code,
    name: `${c.code} Holdings`,
    ebilling_format: 'LEDES1998B',
    ebilling_client_id: `${c.code}-PORTAL`,
    law_firm_id: '12-3456789',
    ...c.client,
  });
  const coordinator = await buildUser(db, {
    roles: ['billing_coordinator'],
    email: `coord-${c.code.toLowerCase()}@firm.test`,
  });
  const partner = await buildTimekeeper(db, {
    timekeeper_code: `${c.code}P`,
    first_name: 'Robert',
    last_name: 'Arnsley',
    classification: 'PT',
    standard_rate_cents: null,
  });
  const associate = await buildTimekeeper(db, {
    timekeeper_code: `${c.code}A`,
    first_name: 'John',
    last_name: 'Beaster',
    classification: 'AS',
    standard_rate_cents: null,
  });
  const partnerUser = await buildUser(db, {
    roles: ['approver'],
    email: `partner-${c.code.toLowerCase()}@firm.test`,
    timekeeper_id: partner.id,
  });
  const associateUser = await buildUser(db, {
    roles: ['timekeeper'],
    email: `associate-${c.code.toLowerCase()}@firm.test`,
    timekeeper_id: associate.id,
  });
  const matter = await buildMatter(db, {
    matter_code: `${c.code}-1`,
    name: `${c.code} v. Widget Co`,
    client_id: client.id,
    client_matter_id: `CM-${c.code}`,
    responsible_attorney_id: partner.id,
    billing_partner_id: partner.id,
    billing_coordinator_id: coordinator.id,
    ...c.matter,
  });
  await buildRate(db, { timekeeper_id: partner.id, rate_cents: 50000 });
  await buildRate(db, { timekeeper_id: associate.id, rate_cents: 30000 });
  if (!c.noApprovedList)
    await db
      .insertInto('matter_timekeeper')
      .values([
        { matter_id: matter.id, timekeeper_id: partner.id, approved_rate_cents: 50000 },
        { matter_id: matter.id, timekeeper_id: associate.id, approved_rate_cents: 30000 },
      ])
      .execute();
  const entry = (id: string, tk: number, date: string, hours: string, narrative: string) =>
    buildReleasedEntry(db, {
      entry_id: `${c.code}-${id}`,
      matter_id: matter.id,
      timekeeper_id: tk,
      work_date: date,
      hours,
      narrative,
      task_code: 'L120',
      activity_code: 'A104',
    });
  await entry('1', partner.id, '2026-10-05', '1.30', 'Review complaint and outline defenses');
  await entry('2', associate.id, '2026-10-06', '2.75', 'Research | statute of limitations\nmemo');
  await entry('3', associate.id, '2026-10-20', '0.40', 'Call with client re discovery schedule');
  await entry('4', partner.id, '2026-10-28', '0.50', 'Revise answer [] and send to client');
  await buildReleasedExpense(db, {
    expense_id: `${c.code}-X1`,
    matter_id: matter.id,
    expense_date: '2026-10-21',
    expense_code: 'E101',
    description: 'Copying, 125 pages',
    quantity: '125',
    unit_cost_cents: 15,
    amount_cents: 1875,
  });
  const report = await runBillRun(ctx, SYSTEM_ACTOR, {
    period: '2026-10',
    matterCode: matter.matter_code,
  });
  const invoice = report.invoices[0];
  if (!invoice) throw new Error(`no invoice billed for ${c.code}: ${JSON.stringify(report)}`);
  return {
    invoiceId: invoice.id,
    invoiceNumber: invoice.invoice_number,
    matterId: matter.id,
    clientId: client.id,
    coordinatorId: coordinator.id,
    partnerUserId: partnerUser.id,
    associateUserId: associateUser.id,
    associateId: associate.id,
  };
}

/** Puts a billed invoice where export expects it: approved (as the workflow would leave it). */
export async function markApproved(db: Kysely<DB>, invoiceId: number): Promise<void> {
  await db
    .updateTable('invoice')
    .set({ state: 'approved', owner_role: 'legal_ops', approval_level: 1 })
    .where('id', '=', invoiceId)
    .execute();
}

/** Adds an invoice-level line (IF fee or IE expense adjustment) and recomputes the totals. */
export async function addInvoiceLevelLine(
  db: Kysely<DB>,
  invoiceId: number,
  type: 'IF' | 'IE',
  amountCents: number,
  description: string,
): Promise<void> {
  const last = await db
    .selectFrom('invoice_line')
    .select((eb) => eb.fn.max('line_number').as('n'))
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('invoice_line')
    .values({
      invoice_id: invoiceId,
      line_number: Number(last.n ?? 0) + 1,
      line_type: type,
      description,
      units: '0.00',
      unit_cost_cents: 0,
      adjustment_cents: amountCents,
      amount_cents: amountCents,
    })
    .execute();
  await recomputeTotals(db, invoiceId);
}

/** Writes a line down by `amountCents` (a negative adjustment on the line), as a reviewer would. */
export async function writeDownLine(
  db: Kysely<DB>,
  invoiceId: number,
  lineNumber: number,
  amountCents: number,
): Promise<void> {
  const line = await db
    .selectFrom('invoice_line')
    .select(['id', 'adjustment_cents', 'amount_cents'])
    .where('invoice_id', '=', invoiceId)
    .where('line_number', '=', lineNumber)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('invoice_line')
    .set({
      adjustment_cents: Number(line.adjustment_cents) - amountCents,
      amount_cents: Number(line.amount_cents) - amountCents,
    })
    .where('id', '=', line.id)
    .execute();
  await db
    .insertInto('invoice_adjustment')
    .values({
      invoice_id: invoiceId,
      invoice_line_id: line.id,
      kind: 'write_down',
      field: 'amount',
      amount_cents: -amountCents,
      reason_code: 'excessive_time',
      state: 'applied',
      requested_at: new Date('2026-11-02T09:00:00Z'),
    })
    .execute();
  await recomputeTotals(db, invoiceId);
}
