import { z } from 'zod';

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
