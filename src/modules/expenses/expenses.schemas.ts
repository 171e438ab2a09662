import { z } from 'zod';
import { EXTERNAL_ID_PATTERN, EXTERNAL_ID_RULE } from '../../domain/codes.js';
import { WORK_STATUSES } from '../../domain/roles.js';
import {
  booleanQueryField,
  codeField,
  isoDateField,
  moneyField,
  quantityField,
  utbmsCodeField,
  versionField,
} from '../../http/fields.js';
import { pageQuerySchema, pageSchema } from '../../http/pagination.js';
import { workFindingSchema } from '../compliance/findings.schemas.js';

export const expenseSchema = z.object({
  id: z.number().int(),
  expense_id: z.string().describe("External id from the firm's expense system."),
  matter_id: z.number().int(),
  matter_code: z.string(),
  timekeeper_id: z.number().int().nullable(),
  timekeeper_code: z.string().nullable(),
  expense_date: z.string(),
  expense_code: z.string().nullable(),
  description: z.string(),
  quantity: z.string(),
  unit_cost: z.string(),
  amount: z.string().describe('quantity × unit_cost, rounded half-up to the cent.'),
  status: z.enum(WORK_STATUSES),
  released_at: z.date().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type ExpenseDto = z.infer<typeof expenseSchema>;

/** A saved expense with what the client's guidelines say about it now. */
export const expenseWithFindingsSchema = expenseSchema.extend({
  findings: z
    .array(workFindingSchema)
    .describe("The expense's findings under the active guidelines."),
});
export type ExpenseWithFindings = z.infer<typeof expenseWithFindingsSchema>;

const editableFields = {
  matter_code: codeField,
  expense_date: isoDateField,
  expense_code: utbmsCodeField.nullable().optional(),
  description: z.string().max(10_000),
  quantity: quantityField,
  unit_cost: moneyField,
};

export const expenseCreateSchema = z.object({
  ...editableFields,
  expense_id: z
    .string()
    .regex(EXTERNAL_ID_PATTERN, EXTERNAL_ID_RULE)
    .optional()
    .describe('Generated when omitted.'),
  timekeeper_code: codeField
    .optional()
    .describe('Who incurred it; defaults to you if you only record your own work.'),
  description: editableFields.description.default(''),
  quantity: editableFields.quantity.default('1'),
});
export type ExpenseCreate = z.infer<typeof expenseCreateSchema>;

export const expenseUpdateSchema = z
  .object(editableFields)
  .partial()
  .extend({ version: versionField });
export type ExpenseUpdate = z.infer<typeof expenseUpdateSchema>;

export const expenseListQuerySchema = pageQuerySchema.extend({
  matter_code: z.string().optional(),
  timekeeper_code: z.string().optional(),
  status: z.enum(WORK_STATUSES).optional(),
  from: isoDateField.optional().describe('First expense date, inclusive.'),
  to: isoDateField.optional().describe('Last expense date, inclusive.'),
  active: booleanQueryField.optional(),
});
export type ExpenseListQuery = z.infer<typeof expenseListQuerySchema>;

export const expensePageSchema = pageSchema(expenseSchema);
