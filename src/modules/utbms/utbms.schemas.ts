import { z } from 'zod';

export const utbmsCodeSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(['task', 'activity', 'expense']),
  set: z.enum(['litigation', 'counseling', 'project', 'bankruptcy', 'activity', 'expense']),
  phase: z
    .boolean()
    .describe('A phase with task codes under it; lines normally carry one of those tasks.'),
  phase_code: z
    .string()
    .nullable()
    .describe('The phase a task code belongs to; null for activity and expense codes.'),
});
export type UtbmsCodeDto = z.infer<typeof utbmsCodeSchema>;

export const utbmsSearchQuerySchema = z.object({
  q: z
    .string()
    .max(100)
    .default('')
    .describe('A code or its start (L11), or words of the name (draft plead); empty lists all.'),
  kind: z.enum(['task', 'activity', 'expense']).optional(),
  set: z
    .enum(['litigation', 'counseling', 'project', 'bankruptcy', 'any'])
    .default('any')
    .describe('The task code set of the matter; activity and expense codes go with every set.'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type UtbmsSearchQuery = z.infer<typeof utbmsSearchQuerySchema>;

export const utbmsCodeListSchema = z.object({ items: z.array(utbmsCodeSchema) });

export const utbmsCodeParamsSchema = z.object({ code: z.string().max(20) });
