import { z } from 'zod';
import { guarded } from '../../http/field-rules.js';
import { INVOICE_STATES } from '../../domain/workflow/index.js';
import { pageQuerySchema, pageSchema } from '../../http/pagination.js';

/** Money in cents, hidden from roles that may not see rates and amounts. */
const money = guarded('rates', z.number().int());
const moneyOrNull = guarded('rates', z.number().int().nullable());

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const period = z.string().regex(PERIOD, 'must be a month as YYYY-MM');

export const billRunBodySchema = z.object({
  period,
  client_code: z.string().min(1).optional(),
  matter_code: z.string().min(1).optional(),
});
export type BillRunBody = z.infer<typeof billRunBodySchema>;

const capSchema = z.object({
  cap_cents: z.number().int(),
  billed_before_cents: z.number().int(),
  invoice_fees_cents: z.number().int(),
  adjustment_cents: z.number().int(),
  remaining_cents: z.number().int(),
});

export const billRunReportSchema = z.object({
  period: z.string(),
  created: z.number().int(),
  refreshed: z.number().int(),
  unchanged: z.number().int(),
  entries_billed: z.number().int(),
  expenses_billed: z.number().int(),
  skipped: z.array(
    z.object({
      entity: z.enum(['time_entry', 'expense']),
      id: z.string(),
      matter_code: z.string(),
      code: z.string(),
      message: z.string(),
    }),
  ),
  invoices: z.array(
    z.object({
      id: z.number().int(),
      invoice_number: z.string(),
      matter_code: z.string(),
      client_code: z.string(),
      state: z.string(),
      total_cents: money,
      outcome: z.enum(['created', 'refreshed', 'unchanged']),
      lines_added: z.number().int(),
      needs_revaluation: z.boolean(),
      cap: guarded('rates', capSchema.nullable()),
    }),
  ),
});

export const invoiceSchema = z.object({
  id: z.number().int(),
  invoice_number: z.string(),
  client_code: z.string(),
  matter_code: z.string(),
  period_start: z.string(),
  period_end: z.string(),
  invoice_date: z
    .string()
    .nullable()
    .describe('Set when the invoice is approved (or given then); LEDES INVOICE_DATE.'),
  currency: z.string(),
  fee_arrangement: z.string(),
  state: z.string(),
  previous_state: z.string().nullable(),
  approval_level: z.number().int(),
  owner_role: z.string().nullable(),
  owner_user_id: z.number().int().nullable(),
  stage_entered_at: z.date(),
  days_in_stage: z
    .number()
    .int()
    .describe('Whole days since the invoice entered its current stage (its age in exception).'),
  urgent: z
    .boolean()
    .describe('Past its current stage’s SLA and escalated; cleared when it leaves the stage.'),
  rework_count: z.number().int(),
  needs_revaluation: z.boolean(),
  last_bill_run_at: z.date(),
  outcome_amount_cents: moneyOrNull,
  worked_fees_cents: money,
  fees_cents: money,
  expenses_cents: money,
  adjustments_cents: money,
  total_cents: money,
  // What the client took off after billing (0 or negative) and what it owes: total + those.
  client_adjustments_cents: money,
  amount_due_cents: money,
  version: z.number().int(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type InvoiceDto = z.infer<typeof invoiceSchema>;

export const invoiceLineSchema = z.object({
  id: z.number().int(),
  line_number: z.number().int(),
  line_type: z.string(),
  time_entry_id: z.number().int().nullable(),
  expense_id: z.number().int().nullable(),
  work_date: z.string().nullable(),
  timekeeper_id: z.number().int().nullable(),
  task_code: z.string().nullable(),
  activity_code: z.string().nullable(),
  expense_code: z.string().nullable(),
  description: z.string(),
  units: z.string(),
  unit_cost_cents: money,
  adjustment_cents: money,
  amount_cents: money,
  worked_units: z.string().nullable(),
  worked_unit_cost_cents: moneyOrNull,
  worked_amount_cents: moneyOrNull,
  disposition: z.string(),
  new_since_last_run: z.boolean(),
  internal_note: z.string().nullable(),
  moved_to_matter_id: z.number().int().nullable(),
  purpose: z.string().nullable(),
  version: z.number().int(),
});

export const invoiceAdjustmentSchema = z.object({
  id: z.number().int(),
  invoice_line_id: z.number().int().nullable(),
  kind: z.string(),
  field: z.string().nullable(),
  before: guarded('rates', z.unknown()),
  after: guarded('rates', z.unknown()),
  amount_cents: money,
  reason_code: guarded('reasons', z.string()),
  note: guarded('reasons', z.string().nullable().describe('The note given with the reason.')),
  state: z.string(),
  requested_by: z.number().int().nullable(),
  requested_at: z.date(),
});

export const invoiceDetailSchema = invoiceSchema.extend({
  lines: z.array(invoiceLineSchema),
  adjustments: z.array(invoiceAdjustmentSchema),
});
export type InvoiceDetailDto = z.infer<typeof invoiceDetailSchema>;

export const invoiceListQuerySchema = pageQuerySchema.extend({
  state: z.enum(INVOICE_STATES).optional(),
  client_code: z.string().optional(),
  matter_code: z.string().optional(),
  period: period.optional(),
});
export type InvoiceListQuery = z.infer<typeof invoiceListQuerySchema>;

export const invoicePageSchema = pageSchema(invoiceSchema);
export const idParamsSchema = z.object({ id: z.coerce.number().int().positive() });
export const versionBodySchema = z.object({ version: z.number().int().min(1) });

export const transitionBodySchema = z.object({
  to: z.enum(INVOICE_STATES),
  reason: z.string().max(2000).optional(),
  invoice_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .optional()
    .describe(
      'Only with to=approved: the invoice date (not before the billing period ends); default the day of approval.',
    ),
  version: z.number().int().min(1),
});
export type TransitionBody = z.infer<typeof transitionBodySchema>;

export const reassignBodySchema = z.object({
  user_id: z.number().int().positive().describe('The user who is to own the current stage.'),
  reason: z.string().trim().min(1, 'give a reason for the reassignment').max(2000),
  version: z.number().int().min(1),
});
export type ReassignBody = z.infer<typeof reassignBodySchema>;

export const outcomeBodySchema = z.object({
  outcome_amount_cents: z
    .number()
    .int()
    .min(0)
    .describe('The contingency fee earned on the outcome, in cents.'),
  version: z.number().int().min(1),
});
export type OutcomeBody = z.infer<typeof outcomeBodySchema>;

export const invoiceHistorySchema = z.object({
  audit_events: z.array(
    z.object({
      id: z.number().int(),
      occurred_at: z.date(),
      actor: z.string(),
      action: z.string(),
      before: guarded(['rates', 'reasons'], z.unknown()),
      after: guarded(['rates', 'reasons'], z.unknown()),
      reason: guarded('reasons', z.string().nullable()),
    }),
  ),
  stage_events: z.array(
    z.object({
      id: z.number().int(),
      from_state: z.string().nullable(),
      to_state: z.string(),
      approval_level: z.number().int(),
      owner_role: z.string().nullable(),
      owner_user_id: z.number().int().nullable(),
      actor_user_id: z.number().int().nullable(),
      occurred_at: z.date(),
      reason: z.string().nullable(),
      rework: z.boolean(),
      trigger: z.string().nullable(),
    }),
  ),
});
export type InvoiceHistoryDto = z.infer<typeof invoiceHistorySchema>;
