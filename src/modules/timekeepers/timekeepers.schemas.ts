import { z } from 'zod';
import { guarded } from '../../http/field-rules.js';
import { CLASSIFICATIONS } from '../../domain/roles.js';
import {
  booleanQueryField,
  codeField,
  currencyField,
  moneyField,
  versionField,
} from '../../http/fields.js';
import { pageQuerySchema, pageSchema } from '../../http/pagination.js';

export const timekeeperSchema = z.object({
  id: z.number().int(),
  timekeeper_code: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  classification: z.enum(CLASSIFICATIONS),
  email: z.string().nullable(),
  standard_rate: guarded(
    'rates',
    z
      .string()
      .nullable()
      .describe('Hourly rate used when no rate card row applies; null when none.'),
  ),
  currency: z.string(),
  practice_group: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type TimekeeperDto = z.infer<typeof timekeeperSchema>;

export const timekeeperCreateSchema = z.object({
  timekeeper_code: codeField,
  first_name: z.string().trim().min(1).max(100),
  last_name: z.string().trim().min(1).max(100),
  classification: z.enum(CLASSIFICATIONS),
  email: z.string().trim().max(320).nullable().optional(),
  standard_rate: moneyField.nullable().optional(),
  currency: currencyField.default('USD'),
  practice_group: z.string().trim().max(100).nullable().optional(),
});
export type TimekeeperCreate = z.infer<typeof timekeeperCreateSchema>;

export const timekeeperUpdateSchema = timekeeperCreateSchema
  .omit({ timekeeper_code: true })
  .extend({ currency: currencyField })
  .partial()
  .extend({ version: versionField, active: z.boolean().optional() });
export type TimekeeperUpdate = z.infer<typeof timekeeperUpdateSchema>;

export const timekeeperListQuerySchema = pageQuerySchema.extend({
  q: z.string().optional().describe('Matches code or name, case-insensitive.'),
  classification: z.enum(CLASSIFICATIONS).optional(),
  practice_group: z.string().optional(),
  active: booleanQueryField.optional(),
});
export type TimekeeperListQuery = z.infer<typeof timekeeperListQuerySchema>;

export const timekeeperPageSchema = pageSchema(timekeeperSchema);
