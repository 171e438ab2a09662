import { z } from 'zod';
import { ROLES } from '../../domain/roles.js';
import { versionField } from '../../http/fields.js';

export const fieldVisibilitySchema = z.object({
  role: z.enum(ROLES),
  rates: z
    .boolean()
    .describe('Sees rates and money amounts of work (entries, expenses, rates, invoices).'),
  reasons: z.boolean().describe('Sees write-down and adjustment reasons (codes and notes).'),
  version: z.number().int(),
  updated_at: z.date(),
});
export type FieldVisibilityDto = z.infer<typeof fieldVisibilitySchema>;

export const fieldVisibilityListSchema = z.object({ items: z.array(fieldVisibilitySchema) });

export const fieldVisibilityParamsSchema = z.object({ role: z.enum(ROLES) });

export const fieldVisibilityBodySchema = z
  .object({ rates: z.boolean().optional(), reasons: z.boolean().optional(), version: versionField })
  .refine((body) => body.rates !== undefined || body.reasons !== undefined, {
    message: 'give rates, reasons or both',
    path: ['rates'],
  });
export type FieldVisibilityChange = z.infer<typeof fieldVisibilityBodySchema>;
