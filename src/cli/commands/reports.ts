import type { Command } from 'commander';
import { formatMoney } from '../../domain/money.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import {
  REPORT_GROUPS,
  writeDownReport,
  type ReportGroup,
} from '../../modules/prebill/write-down-report.js';
import { globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Registers `matterflow reports write-downs`. */
export function registerReports(program: Command): void {
  const reports = program.command('reports').description('Reports over billing data.');
  reports
    .command('write-downs')
    .description('Write-downs and discounts that stand, by reason, timekeeper, matter or client.')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .option('--by <group>', `one of ${REPORT_GROUPS.join(', ')}`, 'reason')
    .action(async (options: { from: string; to: string; by: string }, command) => {
      for (const name of ['from', 'to'] as const)
        if (!DATE.test(options[name]))
          throw new UsageError(`--${name} must be a date as YYYY-MM-DD, got "${options[name]}".`);
      if (!(REPORT_GROUPS as readonly string[]).includes(options.by))
        throw new UsageError(`--by must be one of ${REPORT_GROUPS.join(', ')}.`);
      const global = globalOptions(command as Command);
      const report = await withDatabase(global, (ctx) =>
        writeDownReport(ctx, SYSTEM_ACTOR, {
          from: options.from,
          to: options.to,
          by: options.by as ReportGroup,
        }),
      );
      if (global.json) return printJson(report);
      const width = Math.max(8, ...report.rows.map((r) => r.key.length));
      const out = [`Write-downs ${report.from} to ${report.to} by ${report.by}`];
      for (const row of report.rows)
        out.push(
          `${row.key.padEnd(width)}  ${formatMoney(row.amount_cents).padStart(12)}  ${String(row.count).padStart(4)}  ${row.label}`,
        );
      out.push(
        `${'total'.padEnd(width)}  ${formatMoney(report.total_cents).padStart(12)}  ${String(report.count).padStart(4)}`,
      );
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
