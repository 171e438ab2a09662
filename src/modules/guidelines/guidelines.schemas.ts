import { z } from 'zod';
import { documentImportBodySchema, documentImportQuerySchema } from '../../http/document-body.js';
import { isIsoDate } from '../../domain/dates.js';

export const GUIDELINE_STATUSES = ['draft', 'active', 'retired'] as const;
export type GuidelineStatus = (typeof GUIDELINE_STATUSES)[number];

/** The media types that carry a guideline document as raw text (YAML, or JSON read as YAML). */
export { DOCUMENT_MEDIA_TYPES } from '../../http/document-body.js';

const isoDate = z.string().refine(isIsoDate, 'must be a date as YYYY-MM-DD');

export const guidelineVersionSchema = z.object({
  id: z.number().int(),
  key: z.string().describe('The document `id`; every import of it is a new version.'),
  client: z.string().describe('Client code, or "*" for the firm-wide guideline.'),
  name: z.string(),
  version: z.number().int(),
  status: z.enum(GUIDELINE_STATUSES),
  effective_from: z.string(),
  rule_count: z.number().int(),
  imported_by: z.string().nullable().describe('Email of the user; null for the system.'),
  imported_at: z.date(),
  activated_by: z.string().nullable(),
  activated_at: z.date().nullable(),
  retired_at: z.date().nullable(),
});
export type GuidelineVersionDto = z.infer<typeof guidelineVersionSchema>;

const ruleSchema = z.object({
  id: z.string(),
  kind: z.string(),
  severity: z.string(),
  owner: z.string(),
  message: z.string().optional(),
  enabled: z.boolean(),
  params: z.record(z.string(), z.unknown()),
  params_text: z
    .string()
    .describe('The params in plain words, hours and money as decimals ("hours: 4.00 h").'),
});

export const guidelineVersionDetailSchema = guidelineVersionSchema.extend({
  source_text: z.string().describe('The document exactly as imported.'),
  rules: z.array(ruleSchema).describe('The rules as parsed (hours in hundredths, money in cents).'),
  disabled_rule_ids: z
    .array(z.string())
    .describe('Firm-wide rule ids this guideline switches off.'),
});
export type GuidelineVersionDetailDto = z.infer<typeof guidelineVersionDetailSchema>;

export const guidelineListQuerySchema = z.object({
  client: z.string().optional().describe('A client code, or "*" for the firm-wide guideline.'),
  status: z.enum(GUIDELINE_STATUSES).optional(),
  key: z.string().optional().describe('Only the versions of this guideline id.'),
});
export type GuidelineListQuery = z.infer<typeof guidelineListQuerySchema>;

export const guidelineListSchema = z.object({ items: z.array(guidelineVersionSchema) });

export const importQuerySchema = documentImportQuerySchema;

export const importBodySchema = documentImportBodySchema('guideline');

export const importResultSchema = guidelineVersionSchema;

export const keyVersionParamsSchema = z.object({
  key: z.string().min(1),
  version: z.coerce.number().int().positive(),
});

export const exportQuerySchema = z.object({
  client: z.string().min(1).describe('A client code, or "*" for the firm-wide guideline.'),
  version: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe('A version of the client’s guideline instead of the active one.'),
  key: z.string().optional().describe('The guideline id, when the client has more than one.'),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;

export const validateBodySchema = z.object({
  content: z.string().describe('The guideline document, YAML or JSON; it is not stored.'),
});

export const validateResultSchema = z.object({
  key: z.string(),
  client: z.string(),
  name: z.string(),
  effective_from: z.string(),
  rule_count: z.number().int(),
  next_version: z.number().int().describe('The version number saving this document would get.'),
});
export type ValidateResult = z.infer<typeof validateResultSchema>;

export const sandboxBodySchema = z
  .object({
    content: z.string().describe('The draft guideline document, YAML or JSON; it is not stored.'),
    from: isoDate,
    to: isoDate,
  })
  .refine((body) => body.from <= body.to, { message: 'from must not be after to', path: ['to'] });
export type SandboxRequest = z.infer<typeof sandboxBodySchema>;

const sandboxFindingSchema = z.object({
  rule_id: z.string(),
  entity: z.string(),
  entity_id: z.string(),
  matter: z.string(),
  severity: z.string(),
  message: z.string(),
});
export type SandboxFindingDto = z.infer<typeof sandboxFindingSchema>;

const sandboxRuleSchema = z.object({
  rule_id: z.string(),
  active: z.number().int().describe('Findings with the active rules.'),
  draft: z.number().int().describe('Findings with the draft rules.'),
  change: z
    .enum(['added', 'removed', 'kept'])
    .describe('Whether the draft adds or drops the rule.'),
});

export const sandboxReportSchema = z.object({
  guideline: z.object({ key: z.string(), client: z.string(), name: z.string() }),
  window: z.object({ from: z.string(), to: z.string() }),
  entries_checked: z.number().int(),
  expenses_checked: z.number().int(),
  rules: z.array(sandboxRuleSchema),
  added: z
    .array(sandboxFindingSchema)
    .describe('Findings the draft makes that the active rules do not.'),
  gone: z
    .array(sandboxFindingSchema)
    .describe('Findings of the active rules the draft no longer makes.'),
});
export type SandboxReport = z.infer<typeof sandboxReportSchema>;
