import { z } from 'zod';
import { documentImportBodySchema, documentImportQuerySchema } from '../../http/document-body.js';
import { parseMoney } from '../../domain/money.js';

export const ROUTING_TABLE_STATUSES = ['draft', 'active', 'retired'] as const;
export type RoutingTableStatus = (typeof ROUTING_TABLE_STATUSES)[number];

/** The media types that carry a routing table document as raw text (YAML, or JSON read as YAML). */
export { DOCUMENT_MEDIA_TYPES } from '../../http/document-body.js';

export const routingTableVersionSchema = z.object({
  id: z.number().int(),
  key: z.string().describe('The document `id`; every import of it is a new version.'),
  name: z.string(),
  version: z.number().int(),
  status: z.enum(ROUTING_TABLE_STATUSES),
  rule_count: z.number().int(),
  imported_by: z.string().nullable().describe('Email of the user; null for the system.'),
  imported_at: z.date(),
  activated_by: z.string().nullable(),
  activated_at: z.date().nullable(),
});
export type RoutingTableVersionDto = z.infer<typeof routingTableVersionSchema>;

const routeSchema = z.object({
  reviewer: z.string(),
  approvers: z.array(z.string()).describe('Level 1 first.'),
});

export const routingTableDetailSchema = routingTableVersionSchema.extend({
  source_text: z.string().describe('The document exactly as imported.'),
  table: z
    .object({
      rules: z.array(
        routeSchema.extend({
          id: z.string(),
          match: z
            .record(z.string(), z.unknown())
            .describe('The conditions as parsed (amounts in cents).'),
        }),
      ),
      default: routeSchema,
    })
    .describe('The table as parsed.'),
});
export type RoutingTableDetailDto = z.infer<typeof routingTableDetailSchema>;

export const routingTableListSchema = z.object({ items: z.array(routingTableVersionSchema) });

export const importQuerySchema = documentImportQuerySchema;

export const importBodySchema = documentImportBodySchema('routing table');

export const keyVersionParamsSchema = z.object({
  key: z.string().min(1),
  version: z.coerce.number().int().positive(),
});

export const resolveQuerySchema = z.object({
  matter_code: z.string().min(1),
  amount: z
    .string()
    .refine((text) => (parseMoney(text) ?? -1) >= 0, 'must be a decimal amount, e.g. "1234.50"')
    .describe('The invoice total as a decimal string.'),
});

const ownerSchema = z.object({
  role: z.string().describe('The role reference from the table, e.g. responsible_attorney.'),
  user_id: z.number().int().nullable().describe('null when no active user holds the role.'),
  email: z.string().nullable(),
});

export const stageOwnersSchema = z.object({
  matter_code: z.string(),
  amount: z.string(),
  table: z
    .object({ key: z.string(), version: z.number().int() })
    .nullable()
    .describe('The active routing table; null when the built-in default applied.'),
  rule_id: z.string().nullable().describe('The rule that matched; null for the default route.'),
  reviewer: ownerSchema,
  approvers: z.array(ownerSchema.extend({ level: z.number().int() })),
});
export type StageOwnersDto = z.infer<typeof stageOwnersSchema>;
