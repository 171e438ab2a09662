/**
 * Write-downs over a period, grouped by reason, timekeeper, matter or client: the reviewer
 * write-downs and discounts that stand (applied, on invoices that are not void), by the day
 * they were asked for (UTC), behind the matter walls, optionally of one client or practice area. Amounts are positive cents written off.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../config/context.js';
import { validationError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { requireVisible } from '../field-visibility/field-visibility.service.js';
import { visibleMatterIds } from '../matters/matter-access.js';
import { WRITE_DOWN_KINDS } from './prebill.repository.js';

export const REPORT_GROUPS = ['reason', 'timekeeper', 'matter', 'client'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

export interface WriteDownReport {
  from: string;
  to: string;
  by: ReportGroup;
  total_cents: number;
  count: number;
  rows: { key: string; label: string; count: number; amount_cents: number }[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar day as YYYY-MM-DD (not 2026-02-30). */
const isDay = (text: string) =>
  DATE.test(text) &&
  !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) &&
  new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;

/** The report for `from`..`to` (inclusive, `YYYY-MM-DD`), largest amount first. */
export async function writeDownReport(
  app: AppContext,
  actor: Actor,
  input: {
    from: string;
    to: string;
    by: ReportGroup;
    client_code?: string | undefined;
    practice_area?: string | undefined;
  },
): Promise<WriteDownReport> {
  const issues = [];
  for (const field of ['from', 'to'] as const)
    if (!isDay(input[field])) issues.push({ field, message: 'must be a date as YYYY-MM-DD' });
  if (issues.length === 0 && input.from > input.to)
    issues.push({ field: 'to', message: 'must not be before from' });
  if (issues.length > 0)
    throw validationError('REPORT_PERIOD_INVALID', 'The report period is not valid.', issues);
  // Grouped by reason, every row's key is a reason: nothing to mask row by row, so refuse.
  if (input.by === 'reason')
    await requireVisible(
      app.db,
      actor,
      'reasons',
      'group the report by timekeeper, matter or client instead',
    );

  const group = {
    reason: {
      key: sql<string>`a.reason_code`,
      label: sql<string>`coalesce(r.label, a.reason_code)`,
    },
    timekeeper: {
      key: sql<string>`coalesce(tk.timekeeper_code, '(invoice)')`,
      label: sql<string>`coalesce(tk.first_name || ' ' || tk.last_name, 'Invoice-level')`,
    },
    matter: { key: sql<string>`m.matter_code`, label: sql<string>`m.name` },
    client: { key: sql<string>`c.client_code`, label: sql<string>`c.name` },
  }[input.by];
  let query = app.db
    .selectFrom('invoice_adjustment as a')
    .innerJoin('invoice as i', 'i.id', 'a.invoice_id')
    .innerJoin('matter as m', 'm.id', 'i.matter_id')
    .innerJoin('client as c', 'c.id', 'i.client_id')
    .leftJoin('invoice_line as l', 'l.id', 'a.invoice_line_id')
    .leftJoin('timekeeper as tk', 'tk.id', 'l.timekeeper_id')
    .leftJoin('adjustment_reason as r', 'r.code', 'a.reason_code')
    .select([
      group.key.as('key'),
      group.label.as('label'),
      sql<string>`count(*)`.as('count'),
      sql<string>`sum(-a.amount_cents)`.as('amount'),
    ])
    .where('a.kind', 'in', WRITE_DOWN_KINDS)
    .where('a.state', '=', 'applied')
    .where('i.state', '<>', 'void')
    .where(
      sql<boolean>`(a.requested_at at time zone 'UTC')::date between ${input.from}::date and ${input.to}::date`,
    )
    .where('i.matter_id', 'in', visibleMatterIds(app.db, actor, 'work'));
  if (input.client_code !== undefined) query = query.where('c.client_code', '=', input.client_code);
  if (input.practice_area !== undefined)
    query = query.where('m.practice_area', '=', input.practice_area);
  const rows = await query
    .groupBy([group.key, group.label])
    .orderBy(sql`sum(-a.amount_cents)`, 'desc')
    .orderBy(group.key)
    .execute();
  const out = rows.map((r) => ({
    key: r.key,
    label: r.label,
    count: Number(r.count),
    amount_cents: Number(r.amount),
  }));
  return {
    from: input.from,
    to: input.to,
    by: input.by,
    total_cents: out.reduce((sum, r) => sum + r.amount_cents, 0),
    count: out.reduce((sum, r) => sum + r.count, 0),
    rows: out,
  };
}
