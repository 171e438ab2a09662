import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { formatMoney } from '../../domain/money.js';
import { runBillRun, type BillRunReport } from '../../modules/invoices/bill-run.js';
import { EXIT_FINDINGS, globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

interface BillRunOptions {
  period: string;
  client?: string;
  matter?: string;
}

/** Registers `matterflow bill-run`: create or refresh the month's draft invoices. */
export function registerBillRun(program: Command): void {
  program
    .command('bill-run')
    .description(
      'Create or refresh one draft invoice per matter with released, unbilled work in the month. ' +
        'Running it again adds only work released since. Exit 1 when some work could not be ' +
        'billed (e.g. no rate), 0 otherwise.',
    )
    .requiredOption('--period <month>', 'the month to bill, YYYY-MM')
    .option('--client <code>', 'only this client')
    .option('--matter <code>', 'only this matter')
    .action(async (options: BillRunOptions, command) => {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(options.period))
        throw new UsageError(`--period must be a month as YYYY-MM, got "${options.period}".`);
      const global = globalOptions(command as Command);
      const report = await withDatabase(global, (ctx) =>
        runBillRun(ctx, SYSTEM_ACTOR, {
          period: options.period,
          ...(options.client === undefined ? {} : { clientCode: options.client }),
          ...(options.matter === undefined ? {} : { matterCode: options.matter }),
        }),
      );
      if (global.json) printJson(report);
      else printReport(report);
      if (report.skipped.length > 0) process.exitCode = EXIT_FINDINGS;
    });
}

function printReport(report: BillRunReport): void {
  const out = [
    `Bill run ${report.period}: ${report.created} created, ${report.refreshed} refreshed, ${report.unchanged} unchanged; ${report.entries_billed} entries and ${report.expenses_billed} expenses billed.`,
  ];
  for (const invoice of report.invoices) {
    const flags = [
      invoice.needs_revaluation ? 'needs revaluation' : null,
      invoice.cap === null ? null : `cap remaining ${formatMoney(invoice.cap.remaining_cents)}`,
    ].filter((f) => f !== null);
    out.push(
      `  ${invoice.invoice_number}  ${invoice.matter_code}  ${invoice.state}  ${formatMoney(invoice.total_cents)}  ${invoice.outcome}${flags.length > 0 ? `  (${flags.join(', ')})` : ''}`,
    );
  }
  if (report.skipped.length > 0) out.push(`Not billed (${report.skipped.length}):`);
  for (const s of report.skipped)
    out.push(`  ${s.entity} ${s.id} on ${s.matter_code}: ${s.message} [${s.code}]`);
  process.stdout.write(`${out.join('\n')}\n`);
}
