import { z } from 'zod';
import { booleanQueryField } from '../../http/fields.js';
import { pageQuerySchema, pageSchema } from '../../http/pagination.js';
import { CHANNELS, NOTIFICATION_KINDS } from '../../domain/notifications/kinds.js';

export const inboxQuerySchema = pageQuerySchema.extend({
  unread: booleanQueryField.optional().describe('true: only unread messages'),
});

export const inboxMessageSchema = z.object({
  id: z.number(),
  kind: z.string(),
  subject: z.string(),
  body: z.string(),
  link: z.string(),
  created_at: z.string(),
  read_at: z.string().nullable(),
});
export type InboxMessageDto = z.infer<typeof inboxMessageSchema>;

export const inboxPageSchema = pageSchema(inboxMessageSchema).extend({
  unread_count: z.number(),
});

export const unreadCountSchema = z.object({ unread_count: z.number() });

export const outboxQuerySchema = pageQuerySchema.extend({
  state: z.enum(['pending', 'delivered', 'parked']).default('parked'),
});

export const outboxMessageSchema = z.object({
  id: z.number(),
  idempotency_key: z.string(),
  kind: z.string(),
  channel: z.string(),
  recipient_user_id: z.number(),
  state: z.string(),
  attempts: z.number(),
  last_error: z.string().nullable(),
  due_at: z.string(),
  delivered_at: z.string().nullable(),
  created_at: z.string(),
});
export type OutboxMessageDto = z.infer<typeof outboxMessageSchema>;
export const outboxPageSchema = pageSchema(outboxMessageSchema);

export const preferencesSchema = z.object({
  channels: z.array(z.enum(CHANNELS)).max(3),
  delivery: z.enum(['immediate', 'digest']),
  muted_matter_ids: z.array(z.number()),
  version: z.number(),
});
export type PreferencesDto = z.infer<typeof preferencesSchema>;

export const preferencesBodySchema = z.object({
  channels: z
    .array(z.enum(CHANNELS))
    .max(3)
    .refine((list) => new Set(list).size === list.length, 'must not repeat a channel'),
  delivery: z.enum(['immediate', 'digest']),
  version: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('the version you read (omit the first time)'),
});

export const matterParamsSchema = z.object({ matter_id: z.coerce.number().int().positive() });

export const subscriptionSchema = z.object({
  id: z.number(),
  url: z.string(),
  kinds: z.array(z.string()).nullable(),
  active: z.boolean(),
  created_at: z.string(),
  deliveries: z
    .object({
      delivered: z.number().int(),
      pending: z.number().int().describe('Waiting for their first try or a retry.'),
      parked: z.number().int().describe('Given up after the retries; an operator may retry.'),
      last_delivered_at: z.string().nullable(),
      last_error: z
        .string()
        .nullable()
        .describe('The error of the latest message that failed at least once.'),
    })
    .describe("The outbox's messages to this subscription, by state."),
});
export type SubscriptionDto = z.infer<typeof subscriptionSchema>;

export const createdSubscriptionSchema = subscriptionSchema.extend({
  secret: z.string().describe('shown once: verify X-Matterflow-Signature with it'),
});

export const subscriptionBodySchema = z.object({
  url: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'must be an http or https URL'),
  kinds: z.array(z.enum(NOTIFICATION_KINDS)).min(1).optional(),
});
