import { z } from 'zod';

const version = z.number().int().min(1);
const reasonCode = z.string().min(1).max(60);
const note = z.string().max(4000).optional();
const code = z.string().min(1).max(20);

export const lineParamsSchema = z.object({
  id: z.coerce.number().int().positive(),
  lineId: z.coerce.number().int().positive(),
});

export const lineEditBodySchema = z.object({
  version,
  reason_code: reasonCode,
  note,
  hours: z.string().max(12).optional(),
  rate: z.string().max(20).optional(),
  narrative: z.string().max(10000).optional(),
  task_code: code.nullable().optional(),
  activity_code: code.nullable().optional(),
  internal_note: z.string().max(4000).nullable().optional(),
});

export const dispositionBodySchema = z.object({
  version,
  reason_code: reasonCode,
  note,
  disposition: z.enum(['bill', 'no_charge', 'exclude', 'hold']),
});

export const moveBodySchema = z.object({
  version,
  reason_code: reasonCode,
  note,
  matter_code: z.string().min(1).max(64),
});
