import { z } from 'zod';
import { guarded } from '../../http/field-rules.js';
import { CLASSIFICATIONS } from '../../domain/roles.js';
import { codeField, moneyField, versionField } from '../../http/fields.js';

export const matterTimekeeperSchema = z.object({
  matter_id: z.number().int(),
  timekeeper_id: z.number().int(),
  timekeeper_code: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  classification: z.enum(CLASSIFICATIONS),
  approved_rate: guarded(
    'rates',
    z.string().nullable().describe('The rate the client approved, if any.'),
  ),
  version: z.number().int(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type MatterTimekeeperDto = z.infer<typeof matterTimekeeperSchema>;

export const matterTimekeeperListSchema = z.object({ items: z.array(matterTimekeeperSchema) });

export const matterTimekeeperParamsSchema = z.object({
  id: z.coerce.number().int().positive(),
  timekeeperCode: codeField,
});

export const matterTimekeeperPutSchema = z.object({
  approved_rate: moneyField.nullable().optional(),
  version: versionField
    .optional()
    .describe('Required to change an existing approval: the version you read.'),
});
export type MatterTimekeeperPut = z.infer<typeof matterTimekeeperPutSchema>;
