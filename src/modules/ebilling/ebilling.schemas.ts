import { z } from 'zod';
import { guarded } from '../../http/field-rules.js';

export const idParamsSchema = z.object({ id: z.coerce.number().int().positive() });

const ownerSchema = z.object({
  role: z.enum([
    'billing_coordinator',
    'responsible_attorney',
    'billing_partner',
    'legal_ops',
    'timekeeper',
  ]),
  user_id: z.number().int().nullable(),
  email: z.string().nullable(),
});

export const readinessProblemSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  line_number: z.number().int().nullable(),
  field: z.string().nullable(),
  owner: ownerSchema,
});

export const readinessReportSchema = z.object({
  invoice_id: z.number().int(),
  invoice_number: z.string(),
  format: z.enum(['LEDES1998B', 'LEDES98BI']).nullable(),
  ready: z.boolean(),
  problems: z.array(readinessProblemSchema),
  cleaned: z.array(
    z.object({
      line: z.number().int(),
      field: z.string(),
      invoiceNumber: z.string(),
      before: z.string(),
      after: z.string(),
    }),
  ),
});

export const ledesExportSchema = z.object({
  id: z.number().int(),
  invoice_id: z.number().int(),
  format: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  exported_by: z.number().int().nullable(),
  actor: z.string(),
  exported_at: z.date(),
});
export const ledesExportListSchema = z.object({ items: z.array(ledesExportSchema) });

export const submissionBodySchema = z.object({
  version: z.number().int().positive(),
  portal: z.string().min(1).max(100).optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256')
    .optional(),
  submitted_at: z.coerce.date().optional(),
});

export const submissionSchema = z.object({
  id: z.number().int(),
  invoice_id: z.number().int(),
  ledes_export_id: z.number().int(),
  portal: z.string(),
  sha256: z.string(),
  submitted_at: z.date(),
  recorded_by: z.number().int().nullable(),
  recorded_at: z.date(),
});
export const submissionListSchema = z.object({ items: z.array(submissionSchema) });

export const responsesBodySchema = z.union([
  z.string().describe('The CSV file itself (text/csv or text/plain).'),
  z.object({ content: z.string().describe('The CSV file as text.') }),
]);

export const responseImportSchema = z.object({
  rows: z.number().int(),
  applied: z.number().int(),
  unchanged: z.number().int(),
  responses: z.array(
    z.object({
      row: z.number().int(),
      invoice_number: z.string(),
      status: z.string(),
      outcome: z.enum(['applied', 'unchanged']),
      state: z.string(),
    }),
  ),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');
export const rejectionQuerySchema = z.object({
  from: isoDate,
  to: isoDate,
  client_code: z.string().min(1).optional().describe('Only answers on this client’s invoices.'),
  practice_area: z
    .string()
    .min(1)
    .optional()
    .describe('Only answers on invoices of matters in this practice area.'),
});

export const rejectionReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  reason_map_version: z.number().int().nullable(),
  responses: z.number().int(),
  preventable: z.number().int(),
  not_preventable: z.number().int(),
  unmapped: z.number().int(),
  reasons: z.array(
    z.object({
      reason_code: z.string(),
      description: z.string().nullable(),
      rejected: z.number().int(),
      reduced: z.number().int(),
      reduced_by_cents: guarded('rates', z.number().int()),
      invoices: z.array(z.string()),
      rule_kinds: z.array(z.string()),
      preventable: z.boolean().nullable(),
      verdict: z.string(),
    }),
  ),
  reductions: z
    .array(
      z.object({
        invoice_number: z.string(),
        client_code: z.string(),
        reason_code: z.string(),
        response_date: z.string(),
        billed_total_cents: z.number().int(),
        amount_approved_cents: z.number().int(),
        amount_due_cents: z.number().int(),
      }),
    )
    .describe(
      'Each reduced answer: the billed total as billed, what the portal approved, and what the client owes now.',
    ),
});

export const reasonMapSchema = z.object({
  version: z.number().int().nullable(),
  source_text: z.string(),
  reasons: z.array(
    z.object({ code: z.string(), description: z.string(), rule_kinds: z.array(z.string()) }),
  ),
});

export const reasonMapBodySchema = z.union([
  z.string().describe('The reason-code map itself, YAML or JSON.'),
  z.object({ content: z.string().describe('The reason-code map, YAML or JSON, as text.') }),
]);
