import { z } from 'zod';
import { guarded } from '../../http/field-rules.js';
import { FEE_ARRANGEMENTS, MATTER_STATUSES } from '../../domain/roles.js';
import {
  booleanQueryField,
  codeField,
  isoDateField,
  moneyField,
  versionField,
} from '../../http/fields.js';
import { pageQuerySchema, pageSchema } from '../../http/pagination.js';

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const matterSchema = z.object({
  id: z.number().int(),
  matter_code: z.string(),
  client_id: z.number().int(),
  client_code: z.string(),
  client_matter_id: z.string().nullable(),
  name: z.string(),
  practice_area: z.string(),
  jurisdiction: z.string().nullable(),
  office: z.string().nullable(),
  fee_arrangement: z.enum(FEE_ARRANGEMENTS),
  fee_amount: guarded('rates', z.string().nullable()),
  currency: z.string().describe("The client's currency, in which the matter is billed."),
  responsible_attorney_id: z.number().int(),
  responsible_attorney: z.string().describe('Timekeeper code.'),
  billing_partner_id: z.number().int(),
  billing_partner: z.string().describe('Timekeeper code.'),
  billing_coordinator_id: z.number().int().nullable(),
  billing_coordinator: z.string().nullable().describe('User email.'),
  budget: z.string().nullable(),
  status: z.enum(MATTER_STATUSES),
  opened_on: z.string(),
  closed_on: z.string().nullable(),
  restricted: z.boolean(),
  active: z.boolean(),
  version: z.number().int(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type MatterDto = z.infer<typeof matterSchema>;

const matterFields = {
  client_matter_id: optionalText(20),
  name: z.string().trim().min(1).max(200),
  practice_area: z.string().trim().min(1).max(100),
  jurisdiction: optionalText(50),
  office: optionalText(100),
  fee_arrangement: z.enum(FEE_ARRANGEMENTS),
  fee_amount: moneyField
    .nullable()
    .optional()
    .describe('Required for flat and capped fees, absent for hourly.'),
  responsible_attorney: codeField.describe('Timekeeper code.'),
  billing_partner: codeField.describe('Timekeeper code.'),
  billing_coordinator: z.string().trim().max(320).nullable().optional().describe('User email.'),
  budget: moneyField.nullable().optional(),
  status: z.enum(MATTER_STATUSES),
  opened_on: isoDateField,
  closed_on: isoDateField.nullable().optional(),
  restricted: z.boolean(),
};

export const matterCreateSchema = z.object({
  ...matterFields,
  matter_code: codeField,
  client_code: codeField,
  fee_arrangement: matterFields.fee_arrangement.default('hourly'),
  billing_partner: matterFields.billing_partner
    .optional()
    .describe('Timekeeper code; defaults to the responsible attorney.'),
  status: matterFields.status.default('open'),
  restricted: matterFields.restricted
    .default(false)
    .describe('Behind an ethical wall: only its members see it.'),
});
export type MatterCreate = z.infer<typeof matterCreateSchema>;

export const matterUpdateSchema = z
  .object(matterFields)
  .partial()
  .extend({ version: versionField, active: z.boolean().optional() });
export type MatterUpdate = z.infer<typeof matterUpdateSchema>;

export const matterListQuerySchema = pageQuerySchema.extend({
  q: z.string().optional().describe('Matches matter code or name, case-insensitive.'),
  client_code: z.string().optional(),
  client_id: z.coerce.number().int().positive().optional(),
  practice_area: z.string().optional(),
  fee_arrangement: z.enum(FEE_ARRANGEMENTS).optional(),
  status: z.enum(MATTER_STATUSES).optional(),
  active: booleanQueryField.optional(),
  restricted: booleanQueryField.optional(),
});
export type MatterListQuery = z.infer<typeof matterListQuerySchema>;

export const matterPageSchema = pageSchema(matterSchema);

export const memberSchema = z.object({
  user_id: z.number().int(),
  email: z.string(),
  name: z.string(),
  active: z.boolean(),
  added_at: z.date(),
});
export type MemberDto = z.infer<typeof memberSchema>;

export const memberListSchema = z.object({ items: z.array(memberSchema) });
export const memberParamsSchema = z.object({
  id: z.coerce.number().int().positive(),
  userId: z.coerce.number().int().positive(),
});
