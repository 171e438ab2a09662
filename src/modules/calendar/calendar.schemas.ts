import { z } from 'zod';
import { isoDateField } from '../../http/fields.js';

export const holidaySchema = z.object({
  date: z.string().describe('The holiday, YYYY-MM-DD.'),
  name: z.string(),
  source: z
    .enum(['database', 'environment'])
    .describe('Stored (managed here) or listed in MATTERFLOW_HOLIDAYS.'),
  created_by: z.number().int().nullable(),
  created_at: z.date().nullable(),
});

export const holidayListSchema = z.object({ items: z.array(holidaySchema) });

export const holidayListQuerySchema = z.object({
  from: isoDateField.optional(),
  to: isoDateField.optional(),
});

export const holidayBodySchema = z.object({
  date: isoDateField,
  name: z.string().min(1).max(200),
});

export const holidayParamsSchema = z.object({ date: isoDateField });
