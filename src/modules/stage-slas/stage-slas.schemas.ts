import { z } from 'zod';
import { SLA_STAGES } from '../../domain/workflow/sla.js';
import { versionField } from '../../http/fields.js';

export const SLA_UNITS = ['business_days', 'hours', 'none'] as const;
export type SlaUnit = (typeof SLA_UNITS)[number];

/** Limits that keep a deadline computable: a year of business days, a year of hours. */
export const SLA_LIMITS = { business_days: 365, hours: 8760 } as const;

const slaFields = {
  unit: z
    .enum(SLA_UNITS)
    .describe('Business days skip weekends and firm holidays; hours run around the clock.'),
  amount: z.number().int().nullable().describe('How many; null when the unit is none.'),
};

export const stageSlaSchema = z.object({
  stage: z.enum(SLA_STAGES),
  ...slaFields,
  default_unit: z.enum(SLA_UNITS).describe("Matterflow's default for the stage."),
  default_amount: z.number().int().nullable(),
});
export type StageSlaDto = z.infer<typeof stageSlaSchema>;

export const stageSlasSchema = z.object({
  items: z.array(stageSlaSchema),
  version: z.number().int(),
  updated_by: z.string().nullable().describe('Email of the last user to change them.'),
  updated_at: z.date(),
});
export type StageSlasDto = z.infer<typeof stageSlasSchema>;

export const stageSlasBodySchema = z
  .object({
    version: versionField,
    items: z
      .array(z.object({ stage: z.enum(SLA_STAGES), ...slaFields }))
      .min(1)
      .describe('The stages to change; stages left out keep their SLA.'),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.items.forEach((item, i) => {
      if (seen.has(item.stage))
        ctx.addIssue({ code: 'custom', path: ['items', i, 'stage'], message: 'is listed twice' });
      seen.add(item.stage);
      if (item.unit === 'none') {
        if (item.amount !== null)
          ctx.addIssue({
            code: 'custom',
            path: ['items', i, 'amount'],
            message: 'must be null when the stage has no SLA',
          });
        return;
      }
      const max = SLA_LIMITS[item.unit];
      if (item.amount === null || item.amount < 1 || item.amount > max)
        ctx.addIssue({
          code: 'custom',
          path: ['items', i, 'amount'],
          message: `must be a whole number of ${item.unit === 'hours' ? 'hours' : 'business days'} from 1 to ${max}`,
        });
    });
  });
export type StageSlasChange = z.infer<typeof stageSlasBodySchema>;
