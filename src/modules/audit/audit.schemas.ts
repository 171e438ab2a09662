import { z } from 'zod';
import { guarded } from '../../http/field-rules.js';
import { isIsoDate } from '../../domain/dates.js';
import { pageQuerySchema, pageSchema } from '../../http/pagination.js';

const isoDate = z
  .string()
  .refine(isIsoDate, 'must be a date as YYYY-MM-DD')
  .describe('UTC calendar day, inclusive.');

export const auditEventSchema = z.object({
  id: z.number().int(),
  occurred_at: z.date(),
  actor: z.string(),
  actor_user_id: z.number().int().nullable(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.string().nullable(),
  before: guarded(['rates', 'reasons'], z.unknown()),
  after: guarded(['rates', 'reasons'], z.unknown()),
  reason: guarded('reasons', z.string().nullable()),
  prev_hash: z.string().nullable(),
  hash: z.string(),
});

export const auditEventListQuerySchema = pageQuerySchema
  .extend({
    entity_type: z.string().optional(),
    entity_id: z.string().optional(),
    action: z.string().optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: 'must not be before from',
    path: ['to'],
  });
export type AuditEventListQuery = z.infer<typeof auditEventListQuerySchema>;

export const auditEventPageSchema = pageSchema(auditEventSchema);

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  events: z.number().int(),
  last_hash: z.string().nullable(),
  broken_at: z
    .object({
      id: z.number().int(),
      reason: z.enum(['hash_mismatch', 'prev_hash_mismatch']),
      expected: z.string().nullable(),
      actual: z.string().nullable(),
    })
    .nullable(),
});
