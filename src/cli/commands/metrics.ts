import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { flowMetrics } from '../../modules/metrics/flow-metrics.service.js';
import type { FlowMetrics } from '../../modules/metrics/flow-metrics.schemas.js';
import { globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

interface FlowOptions {
  from?: string;
  to?: string;
  client?: string;
  practiceArea?: string;
  interval?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INTERVALS = ['day', 'week', 'month'] as const;

/** Registers `matterflow metrics flow`. */
export function registerMetrics(program: Command): void {
  const metrics = program.command('metrics').description('Measure the billing workflow.');
  metrics
    .command('flow')
    .description(
      'Cycle time by stage (median, p90), rework, aging of open invoices by owner and exception volume, from the stage events.',
    )
    .option('--from <date>', 'first day of the period, YYYY-MM-DD (default: 90 days before --to)')
    .option('--to <date>', 'last day of the period, inclusive (default: today, UTC)')
    .option('--client <code>', 'only this client')
    .option('--practice-area <name>', 'only matters of this practice area')
    .option('--interval <size>', 'exception volume by day, week or month', 'week')
    .action(async (options: FlowOptions, command) => {
      for (const [flag, value] of [
        ['--from', options.from],
        ['--to', options.to],
      ] as const)
        if (value !== undefined && !DAY.test(value))
          throw new UsageError(`${flag} must be a date as YYYY-MM-DD, got "${value}".`);
      const interval = options.interval ?? 'week';
      if (!(INTERVALS as readonly string[]).includes(interval))
        throw new UsageError(`--interval must be day, week or month, got "${interval}".`);
      const global = globalOptions(command as Command);
      const result = await withDatabase(global, (ctx) =>
        flowMetrics(ctx, SYSTEM_ACTOR, {
          interval: interval as (typeof INTERVALS)[number],
          ...(options.from === undefined ? {} : { from: options.from }),
          ...(options.to === undefined ? {} : { to: options.to }),
          ...(options.client === undefined ? {} : { clientCode: options.client }),
          ...(options.practiceArea === undefined ? {} : { practiceArea: options.practiceArea }),
        }),
      );
      if (global.json) return printJson(result);
      process.stdout.write(`${render(result).join('\n')}\n`);
    });
}

const hours = (seconds: number) => `${(seconds / 3600).toFixed(1)} h`;

function render(m: FlowMetrics): string[] {
  const out = [
    `Flow ${m.period.from} to ${m.period.to}${m.filters.client_code === null ? '' : `  client ${m.filters.client_code}`}${m.filters.practice_area === null ? '' : `  practice area ${m.filters.practice_area}`}`,
    '',
    'Cycle time by stage (visits ended in the period)',
  ];
  if (m.cycle_time.length === 0) out.push('  none');
  for (const row of m.cycle_time)
    out.push(
      `  ${row.stage.padEnd(22)} ${String(row.visits).padStart(6)} visits  median ${hours(row.median_seconds).padStart(9)}  p90 ${hours(row.p90_seconds).padStart(9)}`,
    );
  const r = m.rework;
  out.push(
    '',
    `Rework: ${r.invoices_with_rework} of ${r.invoices} invoices (${(r.rate * 100).toFixed(1)}%), ${r.rework_moves} of ${r.moves} moves`,
  );
  for (const move of r.by_move) out.push(`  ${move.from_state} -> ${move.to_state}: ${move.count}`);
  for (const reason of r.by_reason)
    out.push(`  "${reason.reason ?? '(no reason)'}": ${reason.count}`);
  out.push('', `Aging of open invoices by owner (days in stage: 0-2, 3-5, 6-10, over 10)`);
  if (m.aging.owners.length === 0) out.push('  none');
  for (const o of m.aging.owners)
    out.push(
      `  ${(o.owner_email ?? 'unassigned').padEnd(32)} ${[o.days_0_2, o.days_3_5, o.days_6_10, o.over_10].map((n) => String(n).padStart(5)).join(' ')}  total ${o.invoices}`,
    );
  out.push('', `Exceptions opened by ${m.exceptions.interval}, rule and kind`);
  if (m.exceptions.series.length === 0) out.push('  none');
  for (const e of m.exceptions.series)
    out.push(
      `  ${e.period_start}  ${e.rule_id} (${e.rule_kind}): ${e.opened} opened, ${e.blocking} blocking, ${e.still_open} open, ${e.resolved} resolved, ${e.waived} waived`,
    );
  return out;
}
