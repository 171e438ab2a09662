import { z } from 'zod';
import { guarded } from '../../http/field-rules.js';

/** Money the packet shows: null for roles that may not see rates and amounts. */
const money = guarded('rates', z.number().int().nullable());
const reason = guarded('reasons', z.string().nullable());

const lineSchema = z.object({
  line_number: z.number().int(),
  line_type: z.string(),
  work_date: z.string().nullable(),
  task_code: z.string().nullable(),
  activity_code: z.string().nullable(),
  description: z.string(),
  units: z.string(),
  worked_units: z.string().nullable(),
  unit_cost_cents: money,
  amount_cents: money,
  worked_amount_cents: money,
  disposition: z.string(),
  internal_note: z.string().nullable(),
});

export const prebillReviewSchema = z.object({
  packet: z.object({
    invoice_number: z.string(),
    state: z.string(),
    owner: z.string().nullable(),
    client: z.object({ code: z.string(), name: z.string() }),
    matter: z.object({
      code: z.string(),
      name: z.string(),
      client_matter_id: z.string().nullable(),
    }),
    period_start: z.string(),
    period_end: z.string(),
    currency: z.string(),
    fee_arrangement: z.string(),
    fee_amount_cents: money,
    responsible_attorney: z.string(),
    billing_partner: z.string(),
    totals: z.object({
      worked_fees_cents: money,
      fees_cents: money,
      expenses_cents: money,
      adjustments_cents: money,
      total_cents: money,
      write_downs_cents: money,
      pending_write_downs_cents: money,
      pending_write_downs: z.number().int(),
    }),
    budget: z.object({
      budget_cents: money,
      billed_before_cents: money,
      with_this_invoice_cents: money,
      remaining_cents: money,
      used_basis_points: money.describe('Hundredths of a percent of the budget used.'),
    }),
    exceptions: z.array(
      z.object({
        rule_id: z.string(),
        rule_kind: z.string(),
        severity: z.string(),
        message: z.string(),
        owner: z.string().nullable(),
        entity: z.string(),
      }),
    ),
    questions: z.array(
      z.object({
        timekeeper: z.string(),
        question: z.string(),
        asked_at: z.date(),
        line_number: z.number().int().nullable(),
      }),
    ),
    adjustments: z.array(
      z.object({
        kind: z.string(),
        field: z.string().nullable(),
        line_number: z.number().int().nullable(),
        amount_cents: money,
        reason,
        note: reason,
        state: z.string(),
        requested_by: z.string().nullable(),
      }),
    ),
    groups: z.array(
      z.object({
        timekeeper: z.string(),
        worked_cents: money,
        billed_cents: money,
        tasks: z.array(
          z.object({
            task_code: z.string(),
            worked_cents: money,
            billed_cents: money,
            lines: z.array(lineSchema),
          }),
        ),
      }),
    ),
    other_lines: z.array(lineSchema),
  }),
  pending: z.array(
    z.object({
      adjustment_id: z.number().int(),
      deciders: z.string().describe('Who must approve or reject the pending write-down, in words.'),
      may_decide: z.boolean().describe('Whether you may approve or reject it.'),
    }),
  ),
  may: z
    .object({
      edit_lines: z.boolean(),
      ask_questions: z.boolean(),
      export_ledes: z.boolean(),
    })
    .describe('The pre-bill moves your roles may make on the invoice as it stands.'),
});
