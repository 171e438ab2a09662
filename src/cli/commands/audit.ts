import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { isIsoDate } from '../../domain/dates.js';
import { exportAuditEvents } from '../../modules/audit/audit-export.js';
import { toVerifyReport, verifyAuditChain } from '../../modules/audit/audit-verify.js';
import { EXIT_FINDINGS, globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

interface ExportOptions {
  from: string;
  to: string;
  out?: string;
}

/** Registers `matterflow audit verify` and `matterflow audit export`. */
export function registerAudit(program: Command): void {
  const audit = program
    .command('audit')
    .description('Check and export the tamper-evident audit trail.');

  audit
    .command('verify')
    .description(
      'Recompute every audit event hash and check the chain links. Exit 1 at the first broken ' +
        'link, 0 when the trail is intact.',
    )
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }, command: Command) => {
      const global = globalOptions(command);
      const result = await withDatabase(global, (ctx) => verifyAuditChain(ctx.db));
      if (options.json || global.json) printJson(toVerifyReport(result));
      else if (result.ok) {
        process.stdout.write(
          `Audit trail intact: ${result.events} events, last hash ${result.lastHash ?? '(none)'}\n`,
        );
      } else {
        const { id, reason, expected, actual } = result.brokenAt;
        process.stdout.write(`Audit trail broken at event ${id}: ${reason}\n`);
        process.stdout.write(`  expected ${expected ?? 'null'}\n  actual   ${actual ?? 'null'}\n`);
      }
      if (!result.ok) process.exitCode = EXIT_FINDINGS;
    });

  audit
    .command('export')
    .description(
      'Write the audit events that occurred between two UTC days (inclusive) as JSON lines, one ' +
        'event per line with both hashes, for a SIEM.',
    )
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD (UTC)')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD (UTC, inclusive)')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (options: ExportOptions, command: Command) => {
      for (const [name, value] of [
        ['--from', options.from],
        ['--to', options.to],
      ] as const) {
        if (!isIsoDate(value))
          throw new UsageError(`${name} must be a date as YYYY-MM-DD, got "${value}".`);
      }
      if (options.from > options.to)
        throw new UsageError(`--to (${options.to}) is before --from (${options.from}).`);
      const global = globalOptions(command);
      const range = { from: options.from, to: options.to };
      if (!options.out) {
        await withDatabase(global, (ctx) => exportAuditEvents(ctx.db, range, process.stdout));
        return;
      }
      // Written beside the target and renamed at the end, so a failed export leaves no half file.
      const partial = `${options.out}.partial`;
      const output = createWriteStream(partial);
      await new Promise<void>((resolve, reject) => {
        output.once('open', () => resolve());
        output.once('error', (error: NodeJS.ErrnoException) =>
          reject(new UsageError(`Cannot write ${options.out}: ${error.code ?? error.message}.`)),
        );
      });
      try {
        const events = await withDatabase(global, (ctx) =>
          exportAuditEvents(ctx.db, range, output),
        );
        output.end();
        await finished(output);
        await rename(partial, options.out);
        if (global.json) printJson({ events, file: options.out });
        else process.stdout.write(`Exported ${events} audit event(s) to ${options.out}.\n`);
      } catch (error) {
        output.destroy();
        await rm(partial, { force: true });
        throw error;
      }
    });
}
