import { z } from 'zod';
import { RULE_OWNERS, SEVERITIES } from '../../domain/guidelines/index.js';
import { codeField, isoDateField, versionField } from '../../http/fields.js';
import { guarded, reworded } from '../../http/field-rules.js';
import { pageQuerySchema, pageSchema } from '../../http/pagination.js';
import { withoutMoney } from './findings.schemas.js';

export const EXCEPTION_STATES = ['open', 'resolved', 'waived'] as const;

export const exceptionSchema = reworded(
  'rates',
  z.object({
    id: z.number().int(),
    rule_id: z.string(),
    rule_kind: z.string(),
    severity: z.enum(SEVERITIES),
    owner_role: z.enum(RULE_OWNERS),
    owner_user_id: z
      .number()
      .int()
      .nullable()
      .describe('Null when nobody fills the role: unassigned.'),
    entity_type: z.enum(['time_entry', 'expense']),
    entity_id: z.string().describe('External id of the time entry or expense.'),
    time_entry_id: z.number().int().nullable(),
    expense_id: z.number().int().nullable(),
    matter_id: z.number().int(),
    matter_code: z.string(),
    message: z.string(),
    correction: guarded('rates', z.unknown().nullable()),
    guideline_version_id: z.number().int().nullable(),
    guideline_key: z.string().nullable(),
    guideline_version: z.number().int().nullable(),
    state: z.enum(EXCEPTION_STATES),
    opened_at: z.date(),
    last_seen_at: z.date(),
    resolved_at: z.date().nullable(),
    resolved_by: z.number().int().nullable(),
    waived_at: z.date().nullable(),
    waived_by: z.number().int().nullable(),
    waive_reason: z.string().nullable(),
    version: z.number().int(),
  }),
  withoutMoney('rule_kind'),
);
export type ExceptionDto = z.infer<typeof exceptionSchema>;

export const exceptionListQuerySchema = pageQuerySchema.extend({
  owner: z
    .union([z.literal('me'), z.coerce.number().int().positive()])
    .optional()
    .describe('A user id, or "me".'),
  rule_id: z.string().optional(),
  matter_code: z.string().optional(),
  state: z.enum(EXCEPTION_STATES).optional(),
  severity: z.enum(SEVERITIES).optional(),
});
export type ExceptionListQuery = z.infer<typeof exceptionListQuerySchema>;

export const exceptionPageSchema = pageSchema(exceptionSchema);

export const waiveBodySchema = z.object({
  reason: z.string().trim().min(1, 'a waiver needs a reason').max(2_000),
  version: versionField,
});
export type WaiveBody = z.infer<typeof waiveBodySchema>;

export const recheckBodySchema = z.object({
  from: isoDateField.describe('First work date, inclusive.'),
  to: isoDateField.describe('Last work date, inclusive.'),
  client_code: codeField.optional(),
  matter_code: codeField.optional(),
});
export type RecheckBody = z.infer<typeof recheckBodySchema>;

export const recheckResultSchema = z.object({
  entries_checked: z.number().int(),
  expenses_checked: z.number().int(),
  findings: z.object({ block: z.number().int(), warn: z.number().int(), adjust: z.number().int() }),
  opened: z.number().int(),
  resolved: z.number().int(),
});
export type RecheckResult = z.infer<typeof recheckResultSchema>;
