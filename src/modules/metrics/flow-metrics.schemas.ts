import { z } from 'zod';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = z.string().regex(DAY, 'must be a date as YYYY-MM-DD');

export const flowMetricsQuerySchema = z.object({
  from: day.optional().describe('First day of the period (UTC); default 90 days before `to`.'),
  to: day.optional().describe('Last day of the period, inclusive (UTC); default today.'),
  client_code: z.string().min(1).optional(),
  practice_area: z.string().min(1).optional(),
  interval: z
    .enum(['day', 'week', 'month'])
    .default('week')
    .describe(
      'Bucket size for the cycle time trend and exception volume (weeks start on Monday, UTC).',
    ),
});
export type FlowMetricsQuery = z.infer<typeof flowMetricsQuerySchema>;

const count = z.number().int().nonnegative();

export const flowMetricsSchema = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  filters: z.object({ client_code: z.string().nullable(), practice_area: z.string().nullable() }),
  as_of: z.date(),
  cycle_time: z
    .array(
      z.object({
        stage: z.string(),
        visits: count,
        median_seconds: count,
        p90_seconds: count,
      }),
    )
    .describe('Per stage, the visits that ended in the period: count, median and 90th percentile.'),
  cycle_time_trend: z
    .object({
      interval: z.enum(['day', 'week', 'month']),
      series: z.array(
        z.object({
          period_start: z.string(),
          stage: z.string(),
          visits: count,
          median_seconds: count,
          p90_seconds: count,
        }),
      ),
    })
    .describe(
      'The same figures per interval, by the interval each visit ended in (only intervals with visits).',
    ),
  rework: z.object({
    invoices: count.describe('Invoices with any stage event in the period.'),
    invoices_with_rework: count,
    rate: z
      .number()
      .min(0)
      .max(1)
      .describe(
        'invoices_with_rework / invoices, rounded to 4 decimals (0 when no invoice moved).',
      ),
    moves: count.describe('Moves between two different stages in the period.'),
    rework_moves: count,
    by_move: z.array(z.object({ from_state: z.string(), to_state: z.string(), count })),
    by_reason: z.array(z.object({ reason: z.string().nullable(), count })),
  }),
  aging: z.object({
    buckets: z.array(z.string()),
    owners: z.array(
      z.object({
        owner_user_id: z.number().int().nullable(),
        owner_email: z.string().nullable(),
        owner_name: z.string().nullable(),
        days_0_2: count,
        days_3_5: count,
        days_6_10: count,
        over_10: count,
        invoices: count,
      }),
    ),
  }),
  exceptions: z.object({
    interval: z.enum(['day', 'week', 'month']),
    series: z.array(
      z.object({
        period_start: z.string(),
        rule_id: z.string(),
        rule_kind: z.string(),
        opened: count,
        blocking: count,
        resolved: count,
        waived: count,
        still_open: count,
      }),
    ),
  }),
});
export type FlowMetrics = z.infer<typeof flowMetricsSchema>;

export const flowFilterChoicesSchema = z.object({
  clients: z.array(z.object({ client_code: z.string(), name: z.string() })),
  practice_areas: z.array(z.string()),
});
export type FlowFilterChoices = z.infer<typeof flowFilterChoicesSchema>;
