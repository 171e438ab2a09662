import { z } from 'zod';
import { CODE_PATTERN, CODE_RULE } from '../../domain/codes.js';
import { EBILLING_FORMATS } from '../../domain/roles.js';
import { pageQuerySchema, pageSchema } from '../../http/pagination.js';

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const clientSchema = z.object({
  id: z.number().int(),
  client_code: z.string(),
  name: z.string(),
  currency: z.string(),
  ebilling_format: z.enum(EBILLING_FORMATS),
  ebilling_client_id: z.string().nullable(),
  law_firm_id: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type ClientDto = z.infer<typeof clientSchema>;

export const clientCreateSchema = z.object({
  client_code: z.string().regex(CODE_PATTERN, CODE_RULE),
  name: z.string().trim().min(1).max(200),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
  ebilling_format: z.enum(EBILLING_FORMATS).default('none'),
  ebilling_client_id: optionalText(50),
  law_firm_id: optionalText(50),
});
export type ClientCreate = z.infer<typeof clientCreateSchema>;

export const clientUpdateSchema = clientCreateSchema
  .omit({ client_code: true })
  .partial()
  .extend({ version: z.number().int().min(1), active: z.boolean().optional() });
export type ClientUpdate = z.infer<typeof clientUpdateSchema>;

export const clientListQuerySchema = pageQuerySchema.extend({
  q: z.string().optional().describe('Matches code or name, case-insensitive.'),
  ebilling_format: z.enum(EBILLING_FORMATS).optional(),
  active: z.enum(['true', 'false']).optional(),
});
export type ClientListQuery = z.infer<typeof clientListQuerySchema>;

export const clientPageSchema = pageSchema(clientSchema);
export const idParamsSchema = z.object({ id: z.coerce.number().int().positive() });
export const versionBodySchema = z.object({ version: z.number().int().min(1) });
