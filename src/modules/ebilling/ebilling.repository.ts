/** The SQL for e-billing: an invoice as a LEDES file needs it, exports, submissions, responses. */
import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type {
  DB,
  EbillingResponseTable,
  EbillingSubmissionTable,
  LedesExportTable,
} from '../../db/schema.js';
import type { visibleMatterIds } from '../matters/matter-access.js';

/** The invoice with its client's e-billing profile and the matter's LEDES values. */
export function findLedesInvoice(db: Kysely<DB>, invoiceId: number) {
  return (
    db
      .selectFrom('invoice as i')
      .innerJoin('matter as m', 'm.id', 'i.matter_id')
      .innerJoin('client as c', 'c.id', 'i.client_id')
      // The firm's one profile row: its name and address go into 98BI files.
      .leftJoin('firm_profile as f', (join) => join.on('f.id', '=', 1))
      .select([
        'i.id',
        'i.invoice_number',
        'i.invoice_date',
        'i.period_start',
        'i.period_end',
        'i.currency',
        'i.state',
        'i.version',
        'i.client_id',
        'i.matter_id',
        'i.total_cents',
        'i.client_adjustments_cents',
        'i.amount_due_cents',
        'm.matter_code',
        'm.client_matter_id',
        'm.name as matter_name',
        'm.tax_rate as matter_tax_rate',
        'm.responsible_attorney_id',
        'm.billing_partner_id',
        'm.billing_coordinator_id',
        'c.client_code',
        'c.name as client_name',
        'c.ebilling_format',
        'c.ebilling_client_id',
        'c.law_firm_id',
        'c.ledes_classification_codes',
        'c.ledes_classification_map',
        'c.tax_rate as client_tax_rate',
        'c.tax_type',
        'c.ebilling_portal',
        'c.billing_address_1',
        'c.billing_address_2',
        'c.billing_city',
        'c.billing_region',
        'c.billing_postcode',
        'c.billing_country',
        'f.firm_name',
        'f.address_1 as firm_address_1',
        'f.address_2 as firm_address_2',
        'f.city as firm_city',
        'f.region as firm_region',
        'f.postcode as firm_postcode',
        'f.country as firm_country',
      ])
      .where('i.id', '=', invoiceId)
      .executeTakeFirst()
  );
}

export type LedesInvoiceRow = NonNullable<Awaited<ReturnType<typeof findLedesInvoice>>>;

/**
 * The lines that go to the client: billed and no-charge lines (no-charge work is listed for
 * information), with their timekeepers. Internal notes are not even selected.
 */
export function findLedesLines(db: Kysely<DB>, invoiceId: number) {
  return db
    .selectFrom('invoice_line as l')
    .leftJoin('timekeeper as t', 't.id', 'l.timekeeper_id')
    .select([
      'l.line_number',
      'l.line_type',
      'l.time_entry_id',
      'l.expense_id',
      'l.work_date',
      'l.timekeeper_id',
      't.timekeeper_code',
      't.first_name',
      't.last_name',
      't.classification',
      'l.task_code',
      'l.activity_code',
      'l.expense_code',
      'l.description',
      'l.units',
      'l.unit_cost_cents',
      'l.adjustment_cents',
      'l.amount_cents',
      'l.disposition',
    ])
    .where('l.invoice_id', '=', invoiceId)
    .where('l.disposition', 'in', ['bill', 'no_charge'])
    .orderBy('l.line_number')
    .execute();
}

export type LedesLineRow = Awaited<ReturnType<typeof findLedesLines>>[number];

/** The matter's approved timekeepers and their approved rates (an empty list restricts no one). */
export function findApprovedTimekeepers(db: Kysely<DB>, matterId: number) {
  return db
    .selectFrom('matter_timekeeper')
    .select(['timekeeper_id', 'approved_rate_cents'])
    .where('matter_id', '=', matterId)
    .execute();
}

/** Open blocking exceptions on the invoice or on the work its live lines bill, with their owners. */
export function findOpenBlockingExceptions(db: Kysely<DB>, invoiceId: number) {
  const liveLines = db
    .selectFrom('invoice_line')
    .where('invoice_id', '=', invoiceId)
    .where('disposition', 'in', ['bill', 'no_charge']);
  return db
    .selectFrom('guideline_exception as g')
    .select(['g.id', 'g.rule_id', 'g.rule_kind', 'g.owner_role', 'g.owner_user_id', 'g.message'])
    .where('g.state', '=', 'open')
    .where('g.severity', '=', 'block')
    .where((eb) =>
      eb.or([
        eb('g.invoice_id', '=', invoiceId),
        eb('g.time_entry_id', 'in', liveLines.select('time_entry_id')),
        eb('g.expense_id', 'in', liveLines.select('expense_id')),
      ]),
    )
    .orderBy('g.id')
    .execute();
}

/** Other invoices of the client whose number a portal would take for this one (case ignored). */
export function findClashingInvoiceNumbers(
  db: Kysely<DB>,
  clientId: number,
  invoiceId: number,
  invoiceNumber: string,
) {
  return db
    .selectFrom('invoice')
    .select(['id', 'invoice_number'])
    .where('client_id', '=', clientId)
    .where('id', '<>', invoiceId)
    .where(sql<boolean>`upper(btrim(invoice_number)) = upper(btrim(${invoiceNumber}))`)
    .execute();
}

/** Active users who may own a problem: those linked to `timekeeperIds`, those with `userIds`, and legal ops. */
export function findOwnerUsers(
  db: Kysely<DB>,
  timekeeperIds: readonly number[],
  userIds: readonly number[],
) {
  return db
    .selectFrom('app_user')
    .select(['id', 'email', 'timekeeper_id', 'roles'])
    .where('active', '=', true)
    .where((eb) =>
      eb.or([
        sql<boolean>`timekeeper_id = any(${[...timekeeperIds]}::bigint[])`,
        sql<boolean>`id = any(${[...userIds]}::bigint[])`,
        sql<boolean>`'legal_ops' = any(roles)`,
      ]),
    )
    .orderBy('id')
    .execute();
}

export async function insertExport(
  db: Kysely<DB>,
  row: Insertable<LedesExportTable>,
): Promise<number> {
  const inserted = await db
    .insertInto('ledes_export')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** The invoice's exports, newest first. */
export function findExports(db: Kysely<DB>, invoiceId: number) {
  return db
    .selectFrom('ledes_export as e')
    .leftJoin('app_user as u', 'u.id', 'e.exported_by')
    .select([
      'e.id',
      'e.invoice_id',
      'e.format',
      'e.sha256',
      'e.bytes',
      'e.exported_by',
      'e.actor',
      'e.exported_at',
    ])
    .where('e.invoice_id', '=', invoiceId)
    .orderBy('e.exported_at', 'desc')
    .orderBy('e.id', 'desc')
    .execute();
}

export async function insertSubmission(
  db: Kysely<DB>,
  row: Insertable<EbillingSubmissionTable>,
): Promise<number> {
  const inserted = await db
    .insertInto('ebilling_submission')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export function findSubmissions(db: Kysely<DB>, invoiceId: number) {
  return db
    .selectFrom('ebilling_submission')
    .select([
      'id',
      'invoice_id',
      'ledes_export_id',
      'portal',
      'sha256',
      'submitted_at',
      'recorded_by',
      'recorded_at',
    ])
    .where('invoice_id', '=', invoiceId)
    .orderBy('submitted_at')
    .orderBy('id')
    .execute();
}

type VisibleMatters = ReturnType<typeof visibleMatterIds>;

/** Invoices by number that the actor may see, with what applying a portal answer needs. */
export function findVisibleInvoicesByNumber(
  db: Kysely<DB>,
  visibleMatters: VisibleMatters,
  numbers: readonly string[],
) {
  return db
    .selectFrom('invoice as i')
    .innerJoin('matter as m', 'm.id', 'i.matter_id')
    .select([
      'i.id',
      'i.invoice_number',
      'i.matter_id',
      'i.state',
      'i.total_cents',
      'm.billing_coordinator_id',
    ])
    .where(sql<boolean>`i.invoice_number = any(${[...numbers]}::text[])`)
    .where('i.matter_id', 'in', visibleMatters)
    .execute();
}

/** The answers already stored for these invoices, to recognise a file imported twice. */
export function findResponses(db: Kysely<DB>, invoiceIds: readonly number[]) {
  return db
    .selectFrom('ebilling_response')
    .select([
      'invoice_id',
      'status',
      'reason_code',
      'reason_text',
      'amount_approved_cents',
      'response_date',
    ])
    .where(sql<boolean>`invoice_id = any(${[...invoiceIds]}::bigint[])`)
    .execute();
}

export async function insertResponse(
  db: Kysely<DB>,
  row: Insertable<EbillingResponseTable>,
): Promise<number> {
  const inserted = await db
    .insertInto('ebilling_response')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** Rejections and reductions answered between two dates, on matters the actor may see. */
export function findRejections(
  db: Kysely<DB>,
  visibleMatters: VisibleMatters,
  from: string,
  to: string,
  filter: { clientCode?: string | undefined; practiceArea?: string | undefined } = {},
) {
  let query = db
    .selectFrom('ebilling_response as r')
    .innerJoin('invoice as i', 'i.id', 'r.invoice_id')
    .innerJoin('client as c', 'c.id', 'i.client_id')
    .innerJoin('matter as m', 'm.id', 'i.matter_id')
    .select([
      'r.id',
      'r.invoice_number',
      'r.status',
      'r.reason_code',
      'r.reason_text',
      'r.amount_approved_cents',
      'r.response_date',
      'i.total_cents',
      'i.amount_due_cents',
      'c.client_code',
    ])
    .where('r.status', 'in', ['rejected', 'reduced'])
    .where('r.response_date', '>=', from)
    .where('r.response_date', '<=', to)
    .where('i.matter_id', 'in', visibleMatters);
  if (filter.clientCode !== undefined) query = query.where('c.client_code', '=', filter.clientCode);
  if (filter.practiceArea !== undefined)
    query = query.where('m.practice_area', '=', filter.practiceArea);
  return query.orderBy('r.response_date').orderBy('r.id').execute();
}

/** Approved invoices of clients on LEDES for the period starting `periodStart`, in id order. */
export function findApprovedLedesInvoices(
  db: Kysely<DB>,
  visibleMatters: VisibleMatters,
  periodStart: string,
) {
  return db
    .selectFrom('invoice as i')
    .innerJoin('client as c', 'c.id', 'i.client_id')
    .select(['i.id', 'i.invoice_number'])
    .where('i.state', '=', 'approved')
    .where('i.period_start', '=', periodStart)
    .where('c.ebilling_format', '<>', 'none')
    .where('i.matter_id', 'in', visibleMatters)
    .orderBy('i.id')
    .execute();
}
