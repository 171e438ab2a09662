import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isIsoDate } from '../../domain/dates.js';
import { formatMoney } from '../../domain/money.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { getInvoice } from '../../modules/invoices/invoices.service.js';
import { importResponses } from '../../modules/ebilling/import-responses.js';
import { importReasonMap, reasonMapInForce } from '../../modules/ebilling/reason-map.js';
import { recordSubmission } from '../../modules/ebilling/record-submission.js';
import { rejectionReport } from '../../modules/ebilling/rejection-report.js';
import { globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`Cannot read ${file}: ${error.code ?? error.message}.`);
  });
}

/** Registers `matterflow ebilling submit|responses|report|reason-map`. */
export function registerEbilling(program: Command): void {
  const ebilling = program
    .command('ebilling')
    .description("Submissions to clients' e-billing portals and the portals' answers.");

  ebilling
    .command('submit')
    .description(
      'Record that the exported LEDES file went to the portal; moves the invoice to submitted.',
    )
    .argument('<invoice-number>', 'the invoice number')
    .option('--portal <name>', "the portal (default: the client's e-billing profile)")
    .option('--sha256 <checksum>', 'the export that was sent (default: the latest)')
    .option('--at <time>', 'when it was sent, ISO 8601 (default: now)')
    .action(async (number: string, options: SubmitOptions, command: Command) => {
      const global = globalOptions(command);
      const at = options.at === undefined ? undefined : new Date(options.at);
      if (at !== undefined && Number.isNaN(at.getTime()))
        throw new UsageError(`--at must be an ISO 8601 time, got "${options.at}".`);
      const submission = await withDatabase(global, async (ctx) => {
        const { id, version } = await getInvoice(ctx, SYSTEM_ACTOR, { number });
        return recordSubmission(
          ctx,
          SYSTEM_ACTOR,
          { id },
          { version, portal: options.portal, sha256: options.sha256, submittedAt: at },
        );
      });
      if (global.json) return printJson(submission);
      process.stdout.write(
        `${number}: submitted to ${submission.portal} at ${submission.submitted_at.toISOString()} (sha256 ${submission.sha256})\n`,
      );
    });

  ebilling
    .command('responses')
    .description(
      "Import the portals' answers: CSV with invoice_number,status,reason_code,reason_text," +
        'amount_approved,response_date (status accepted, rejected, reduced, appealed or paid). ' +
        'All rows or none.',
    )
    .argument('<file.csv>', 'the answers')
    .addHelpText(
      'after',
      '\nExit codes: 0 imported, 1 a row is invalid (every problem listed by row and column; nothing written), 2 unreadable file.\n',
    )
    .action(async (file: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      const text = await readText(file);
      const result = await withDatabase(global, (ctx) => importResponses(ctx, SYSTEM_ACTOR, text));
      if (global.json) return printJson(result);
      const lines = result.responses.map(
        (r) => `row ${r.row}  ${r.invoice_number}  ${r.status}  ${r.outcome}  now ${r.state}\n`,
      );
      lines.push(
        `${file}: ${result.rows} rows, ${result.applied} applied, ${result.unchanged} unchanged\n`,
      );
      process.stdout.write(lines.join(''));
    });

  ebilling
    .command('report')
    .description(
      'Rejections and reductions by reason code, and the rule that would have caught each.',
    )
    .requiredOption('--from <date>', 'first response date, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last response date, YYYY-MM-DD')
    .action(async (options: { from: string; to: string }, command: Command) => {
      const global = globalOptions(command);
      for (const key of ['from', 'to'] as const)
        if (!isIsoDate(options[key]))
          throw new UsageError(`--${key} must be a date as YYYY-MM-DD, got "${options[key]}".`);
      const report = await withDatabase(global, (ctx) =>
        rejectionReport(ctx, SYSTEM_ACTOR, options.from, options.to),
      );
      if (global.json) return printJson(report);
      const lines = report.reasons.map(
        (r) =>
          `${r.reason_code}  ${r.rejected} rejected, ${r.reduced} reduced (${formatMoney(r.reduced_by_cents)})  ${r.verdict}  [${r.invoices.join(', ')}]\n`,
      );
      for (const r of report.reductions)
        lines.push(
          `reduced ${r.invoice_number} ${r.response_date} ${r.reason_code}: billed ${formatMoney(r.billed_total_cents)}, approved ${formatMoney(r.amount_approved_cents)}, due ${formatMoney(r.amount_due_cents)}\n`,
        );
      lines.push(
        `${report.from} to ${report.to}: ${report.responses} answers, ${report.preventable} preventable, ${report.not_preventable} not preventable, ${report.unmapped} not in the map (map ${report.reason_map_version === null ? 'default' : `version ${report.reason_map_version}`})\n`,
      );
      process.stdout.write(lines.join(''));
    });

  const map = ebilling
    .command('reason-map')
    .description('The map from portal reason codes to the rule kinds that would have caught them.');
  map
    .command('show')
    .description('Print the map in force (the built-in default until one is imported).')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      const inForce = await withDatabase(global, (ctx) => reasonMapInForce(ctx.db));
      if (global.json) return printJson(inForce);
      process.stdout.write(inForce.source_text);
    });
  map
    .command('import')
    .description('Import a map (YAML or JSON) as the next version.')
    .argument('<file>', 'the map')
    .action(async (file: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      const text = await readText(file);
      const inForce = await withDatabase(global, (ctx) => importReasonMap(ctx, SYSTEM_ACTOR, text));
      if (global.json) return printJson(inForce);
      process.stdout.write(
        `Reason-code map version ${inForce.version}: ${inForce.map.reasons.length} reasons.\n`,
      );
    });
}

interface SubmitOptions {
  portal?: string;
  sha256?: string;
  at?: string;
}
