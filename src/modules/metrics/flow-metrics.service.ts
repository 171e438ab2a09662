/** Flow metrics: cycle time, rework, aging and exception volume, computed from the stage events. */
import type { AppContext } from '../../config/context.js';
import { isIsoDate } from '../../domain/dates.js';
import { AppError, validationError, type FieldIssue } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import * as repo from './flow-metrics.repository.js';
import type { FlowFilterChoices, FlowMetrics, FlowMetricsQuery } from './flow-metrics.schemas.js';

const DAY_MS = 86_400_000;
/** The default period: the 90 days ending today. */
const DEFAULT_DAYS = 90;

export interface FlowMetricsInput {
  from?: string;
  to?: string;
  clientCode?: string;
  practiceArea?: string;
  interval?: FlowMetricsQuery['interval'];
}

/**
 * The flow metrics for the actor. Legal ops and admins see the firm; approvers see them only
 * if they are a billing partner on some matter. Walled matters count only for their members.
 */
export async function flowMetrics(
  ctx: AppContext,
  actor: Actor,
  input: FlowMetricsInput,
): Promise<FlowMetrics> {
  const asOf = ctx.now();
  await authorize(ctx, actor);
  const to = input.to ?? asOf.toISOString().slice(0, 10);
  const from =
    input.from ??
    new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * DAY_MS)
      .toISOString()
      .slice(0, 10);
  checkPeriod(from, to);
  const interval = input.interval ?? 'week';
  const scope: repo.FlowScope = {
    from,
    to,
    ...(input.clientCode === undefined ? {} : { clientCode: input.clientCode }),
    ...(input.practiceArea === undefined ? {} : { practiceArea: input.practiceArea }),
  };
  const [cycle, trend, rework, aging, exceptions] = await Promise.all([
    repo.cycleTimeByStage(ctx.db, actor, scope),
    repo.cycleTimeTrend(ctx.db, actor, scope, interval),
    repo.reworkCounts(ctx.db, actor, scope),
    repo.agingByOwner(ctx.db, actor, scope, asOf),
    repo.exceptionVolume(ctx.db, actor, scope, interval),
  ]);
  return {
    period: { from, to },
    filters: { client_code: input.clientCode ?? null, practice_area: input.practiceArea ?? null },
    as_of: asOf,
    cycle_time: cycle,
    cycle_time_trend: { interval, series: trend },
    rework: {
      invoices: rework.invoices,
      invoices_with_rework: rework.invoicesWithRework,
      rate:
        rework.invoices === 0
          ? 0
          : Math.round((rework.invoicesWithRework * 10_000) / rework.invoices) / 10_000,
      moves: rework.moves,
      rework_moves: rework.reworkMoves,
      by_move: rework.byMove,
      by_reason: rework.byReason,
    },
    aging: { buckets: ['days_0_2', 'days_3_5', 'days_6_10', 'over_10'], owners: aging },
    exceptions: { interval, series: exceptions },
  };
}

/** The clients and practice areas the actor may filter the metrics by (walled matters' only for members). */
export async function flowFilterChoices(ctx: AppContext, actor: Actor): Promise<FlowFilterChoices> {
  await authorize(ctx, actor);
  return repo.filterChoices(ctx.db, actor);
}

async function authorize(ctx: AppContext, actor: Actor): Promise<void> {
  if (actor.roles.includes('legal_ops') || actor.roles.includes('admin')) return;
  if (
    actor.roles.includes('approver') &&
    actor.timekeeperId !== null &&
    (await repo.isBillingPartner(ctx.db, Number(actor.timekeeperId)))
  )
    return;
  throw new AppError(
    'forbidden',
    'ROLE_NOT_ALLOWED',
    'Flow metrics are for legal ops, admins and billing partners.',
  );
}

function checkPeriod(from: string, to: string): void {
  const issues: FieldIssue[] = [];
  if (!isIsoDate(from)) issues.push({ field: 'from', message: 'must be a date as YYYY-MM-DD' });
  if (!isIsoDate(to)) issues.push({ field: 'to', message: 'must be a date as YYYY-MM-DD' });
  if (issues.length === 0 && from > to)
    issues.push({ field: 'to', message: `must not be before from (${from})` });
  if (issues.length > 0)
    throw validationError('PERIOD_INVALID', 'The period for the metrics is not valid.', issues);
}
