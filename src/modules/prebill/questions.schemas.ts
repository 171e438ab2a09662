import { z } from 'zod';

export const askBodySchema = z.object({
  version: z.number().int().min(1),
  question: z.string().min(1).max(4000),
  line_id: z.number().int().positive().optional(),
  timekeeper_code: z.string().min(1).max(20).optional(),
});

export const answerBodySchema = z.object({
  version: z.number().int().min(1),
  answer: z.string().min(1).max(4000),
});

export const questionStateSchema = z.enum(['open', 'answered', 'withdrawn']);
export const questionListQuerySchema = z.object({ state: questionStateSchema.optional() });

export const questionSchema = z.object({
  id: z.number().int(),
  invoice_id: z.number().int(),
  invoice_number: z.string(),
  invoice_state: z.string(),
  matter_code: z.string(),
  line_id: z.number().int().nullable(),
  time_entry_id: z.number().int().nullable(),
  entry_id: z.string().nullable(),
  timekeeper_code: z.string(),
  assignee_user_id: z.number().int(),
  question: z.string(),
  answer: z.string().nullable(),
  state: z.string(),
  asked_by: z.number().int().nullable(),
  asked_at: z.date(),
  answered_by: z.number().int().nullable(),
  answered_at: z.date().nullable(),
  version: z.number().int(),
});
export const questionListSchema = z.object({ items: z.array(questionSchema) });
export const questionIdParamsSchema = z.object({ id: z.coerce.number().int().positive() });
