import { z } from 'zod';
import { guarded } from '../../http/field-rules.js';
import {
  booleanQueryField,
  codeField,
  currencyField,
  isoDateField,
  moneyField,
  versionField,
} from '../../http/fields.js';
import { pageQuerySchema, pageSchema } from '../../http/pagination.js';

export const rateSchema = z.object({
  id: z.number().int(),
  timekeeper_id: z.number().int(),
  timekeeper_code: z.string(),
  client_id: z.number().int().nullable(),
  client_code: z.string().nullable(),
  matter_id: z.number().int().nullable(),
  matter_code: z.string().nullable(),
  scope: z.enum(['default', 'client', 'matter']),
  rate: guarded('rates', z.string().describe('Hourly rate as a decimal string.')),
  currency: z.string(),
  effective_from: z.string(),
  effective_to: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type RateDto = z.infer<typeof rateSchema>;

export const rateCreateSchema = z.object({
  timekeeper_code: codeField,
  client_code: codeField
    .optional()
    .describe("For a client rate; for a matter rate it must be the matter's client."),
  matter_code: codeField.optional(),
  rate: moneyField,
  currency: currencyField
    .optional()
    .describe("Defaults to the client's currency, or the timekeeper's for a default rate."),
  effective_from: isoDateField,
  effective_to: isoDateField
    .nullable()
    .optional()
    .describe('Last day, inclusive; open when empty.'),
});
export type RateCreate = z.infer<typeof rateCreateSchema>;

export const rateUpdateSchema = z.object({
  rate: moneyField.optional(),
  currency: currencyField.optional(),
  effective_from: isoDateField.optional(),
  effective_to: isoDateField.nullable().optional(),
  active: z.boolean().optional(),
  version: versionField,
});
export type RateUpdate = z.infer<typeof rateUpdateSchema>;

export const rateListQuerySchema = pageQuerySchema.extend({
  timekeeper_code: z.string().optional(),
  client_code: z.string().optional(),
  matter_code: z.string().optional(),
  active: booleanQueryField.optional(),
});
export type RateListQuery = z.infer<typeof rateListQuerySchema>;

export const ratePageSchema = pageSchema(rateSchema);

export const rateLookupQuerySchema = z.object({
  timekeeper: codeField.describe('Timekeeper code.'),
  matter: codeField.describe('Matter code.'),
  date: isoDateField.describe('Work date.'),
});
export type RateLookupQuery = z.infer<typeof rateLookupQuerySchema>;

export const rateLookupSchema = z.object({
  timekeeper_code: z.string(),
  matter_code: z.string(),
  date: z.string(),
  rate: guarded('rates', z.string()),
  currency: z.string(),
  scope: z.enum(['matter', 'client', 'default', 'standard']),
  rate_id: z
    .number()
    .int()
    .nullable()
    .describe("Null when the timekeeper's standard rate applies."),
});
export type RateLookupDto = z.infer<typeof rateLookupSchema>;
