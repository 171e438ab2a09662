import { z } from 'zod';
import { CODE_PATTERN, CODE_RULE, EMAIL_PATTERN } from '../../domain/codes.js';
import { ROLES } from '../../domain/roles.js';
import { booleanQueryField, versionField } from '../../http/fields.js';
import { pageQuerySchema, pageSchema } from '../../http/pagination.js';

export const userSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
  timekeeper_id: z.number().int().nullable(),
  timekeeper_code: z.string().nullable(),
  has_password: z.boolean().describe('Whether the user can sign in with a password.'),
  active: z.boolean(),
  version: z.number().int(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type UserDto = z.infer<typeof userSchema>;

const userFields = {
  email: z.string().trim().max(320).regex(EMAIL_PATTERN, 'must be an email address'),
  name: z.string().trim().min(1).max(200),
  roles: z.array(z.enum(ROLES)).min(1, 'must name at least one role'),
  timekeeper_code: z
    .string()
    .regex(CODE_PATTERN, CODE_RULE)
    .nullable()
    .optional()
    .describe('The timekeeper this user records time as.'),
};

export const userCreateSchema = z.object({
  ...userFields,
  password: z.string().optional().describe('At least 10 characters; omit to set one later.'),
});
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userUpdateSchema = z
  .object(userFields)
  .partial()
  .extend({ version: versionField, active: z.boolean().optional() });
export type UserUpdate = z.infer<typeof userUpdateSchema>;

export const passwordBodySchema = z.object({ password: z.string() });

export const userListQuerySchema = pageQuerySchema.extend({
  q: z.string().optional().describe('Matches email or name, case-insensitive.'),
  role: z.enum(ROLES).optional(),
  active: booleanQueryField.optional(),
});
export type UserListQuery = z.infer<typeof userListQuerySchema>;

export const userPageSchema = pageSchema(userSchema);
