import { z } from 'zod';
import { ROLES } from '../../domain/roles.js';
import { TOKEN_SCOPES } from './auth.service.js';

export const signInSchema = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(256),
});

export const meSchema = z.object({
  user_id: z.number().int(),
  email: z.string(),
  roles: z.array(z.enum(ROLES)),
  timekeeper_id: z.number().int().nullable(),
  csrf_token: z
    .string()
    .optional()
    .describe(
      'For a cookie session: send it as the X-CSRF-Token header with every request other than GET, HEAD or OPTIONS.',
    ),
});

export const apiTokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  token_prefix: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  created_at: z.date(),
  expires_at: z.date().nullable(),
  revoked_at: z.date().nullable(),
  last_used_at: z.date().nullable(),
});

export const apiTokenCreatedSchema = apiTokenSchema.extend({
  token: z.string().describe('The secret. Shown once; store it now.'),
});

export const apiTokenCreateSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).default(['read']),
  expires_at: z.coerce.date().nullable().default(null),
});

export const tokenIdParamsSchema = z.object({ id: z.coerce.number().int().positive() });
