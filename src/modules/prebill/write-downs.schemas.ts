import { z } from 'zod';
import { guarded } from '../../http/field-rules.js';
import { REPORT_GROUPS } from './write-down-report.js';

export const adjustBodySchema = z.object({
  version: z.number().int().min(1),
  kind: z.enum(['write_down', 'write_up', 'discount']),
  line_id: z.number().int().positive().optional(),
  amount: z.string().max(20).optional().describe('A decimal amount, e.g. "250.00".'),
  percent: z.string().max(8).optional().describe('A percent of the line, or of the invoice fees.'),
  hours: z.string().max(12).optional().describe('Hours off (or on) a fee line.'),
  reason_code: z.string().min(1).max(60),
  note: z.string().max(4000).optional(),
});

export const adjustmentParamsSchema = z.object({
  id: z.coerce.number().int().positive(),
  adjustmentId: z.coerce.number().int().positive(),
});

export const decisionBodySchema = z.object({
  decision: z.enum(['approve', 'reject']),
  version: z.number().int().min(1),
  note: z.string().max(4000).optional(),
});

export const reasonSchema = z.object({
  code: z.string(),
  label: z.string(),
  requires_note: z.boolean(),
  active: z.boolean(),
});
export const reasonListSchema = z.object({ items: z.array(reasonSchema) });
export const reasonListQuerySchema = z.object({
  include_inactive: z.enum(['true', 'false']).optional(),
});
export const reasonCreateSchema = z.object({
  code: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be 2 to 40 lower-case letters, digits or _'),
  label: z.string().min(1).max(200),
  requires_note: z.boolean().default(false),
});
export const reasonParamsSchema = z.object({ code: z.string().min(1).max(60) });
export const reasonUpdateSchema = z
  .object({
    label: z.string().trim().min(1).max(200).optional(),
    requires_note: z.boolean().optional(),
    active: z.boolean().optional(),
  })
  .refine(
    (body) => Object.values(body).some((value) => value !== undefined),
    'must change label, requires_note or active',
  );
export type ReasonUpdate = z.infer<typeof reasonUpdateSchema>;

export const thresholdsSchema = z.object({
  write_down_approval_amount: z.string().nullable(),
  write_down_approval_percent: z.string().nullable(),
  version: z.number().int(),
  updated_at: z.date(),
});
export const thresholdsBodySchema = z.object({
  version: z.number().int().min(1),
  write_down_approval_amount: z.string().max(20).nullable(),
  write_down_approval_percent: z.string().max(8).nullable(),
});

export const reportQuerySchema = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(REPORT_GROUPS).default('reason'),
  client_code: z.string().min(1).optional().describe('Only this client’s invoices.'),
  practice_area: z
    .string()
    .min(1)
    .optional()
    .describe('Only invoices of matters in this practice area.'),
});
export const reportSchema = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(REPORT_GROUPS),
  total_cents: guarded('rates', z.number().int()),
  count: z.number().int(),
  rows: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      count: z.number().int(),
      amount_cents: guarded('rates', z.number().int()),
    }),
  ),
});
