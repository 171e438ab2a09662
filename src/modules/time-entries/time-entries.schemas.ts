import { z } from 'zod';
import { guarded } from '../../http/field-rules.js';
import { EXTERNAL_ID_PATTERN, EXTERNAL_ID_RULE } from '../../domain/codes.js';
import { WORK_STATUSES } from '../../domain/roles.js';
import {
  booleanQueryField,
  codeField,
  hoursField,
  isoDateField,
  utbmsCodeField,
  versionField,
} from '../../http/fields.js';
import { pageQuerySchema, pageSchema } from '../../http/pagination.js';
import { workFindingSchema } from '../compliance/findings.schemas.js';

export const timeEntrySchema = z.object({
  id: z.number().int(),
  entry_id: z.string().describe("External id from the firm's time system."),
  matter_id: z.number().int(),
  matter_code: z.string(),
  timekeeper_id: z.number().int(),
  timekeeper_code: z.string(),
  work_date: z.string(),
  hours: z.string(),
  narrative: z.string(),
  task_code: z.string().nullable(),
  activity_code: z.string().nullable(),
  billable: z.boolean(),
  status: z.enum(WORK_STATUSES),
  released_at: z.date().nullable(),
  rate: guarded(
    'rates',
    z.string().nullable().describe('Set when the entry is valued for billing.'),
  ),
  amount: guarded('rates', z.string().nullable()),
  active: z.boolean(),
  version: z.number().int(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type TimeEntryDto = z.infer<typeof timeEntrySchema>;

/** A saved time entry with what the client's guidelines say about it now. */
export const timeEntryWithFindingsSchema = timeEntrySchema.extend({
  findings: z
    .array(workFindingSchema)
    .describe("The entry's findings under the active guidelines."),
});
export type TimeEntryWithFindings = z.infer<typeof timeEntryWithFindingsSchema>;

const editableFields = {
  matter_code: codeField,
  work_date: isoDateField,
  hours: hoursField,
  narrative: z.string().max(10_000),
  task_code: utbmsCodeField.nullable().optional(),
  activity_code: utbmsCodeField.nullable().optional(),
  billable: z.boolean(),
};

export const timeEntryCreateSchema = z.object({
  ...editableFields,
  entry_id: z
    .string()
    .regex(EXTERNAL_ID_PATTERN, EXTERNAL_ID_RULE)
    .optional()
    .describe('Generated when omitted.'),
  timekeeper_code: codeField.optional().describe('Defaults to your own timekeeper.'),
  narrative: editableFields.narrative.default(''),
  billable: editableFields.billable.default(true),
});
export type TimeEntryCreate = z.infer<typeof timeEntryCreateSchema>;

export const timeEntryUpdateSchema = z
  .object(editableFields)
  .partial()
  .extend({ version: versionField });
export type TimeEntryUpdate = z.infer<typeof timeEntryUpdateSchema>;

export const timeEntryListQuerySchema = pageQuerySchema.extend({
  matter_code: z.string().optional(),
  timekeeper_code: z.string().optional(),
  status: z.enum(WORK_STATUSES).optional(),
  from: isoDateField.optional().describe('First work date, inclusive.'),
  to: isoDateField.optional().describe('Last work date, inclusive.'),
  active: booleanQueryField.optional(),
});
export type TimeEntryListQuery = z.infer<typeof timeEntryListQuerySchema>;

export const timeEntryPageSchema = pageSchema(timeEntrySchema);
