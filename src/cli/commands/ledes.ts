import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../domain/errors.js';
import type { LedesValidation } from '../../modules/ledes/ledes-file.js';
import { validateLedesFile } from '../../modules/ledes/ledes-file.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { getReadiness } from '../../modules/ebilling/ebilling.service.js';
import type { ReadinessProblem, ReadinessReport } from '../../modules/ebilling/readiness.js';
import {
  exportInvoiceLedes,
  exportPeriodLedes,
  type LedesExport,
} from '../../modules/ebilling/export-ledes.js';
import {
  EXIT_FINDINGS,
  EXIT_USAGE,
  globalOptions,
  printJson,
  UsageError,
  withDatabase,
} from '../runtime.js';

const EXIT_HELP = `
Prints one line per problem (line, field, severity, code, message), then a summary.
Exit codes: 0 valid (warnings allowed), 1 errors found, 2 the file cannot be read or is not a
LEDES file (empty, binary, UTF-16, or line 1 is not LEDES1998B[] or LEDES98BI V2[]).
`;

/** Registers the `matterflow ledes` command group. */
export function registerLedes(program: Command): void {
  const ledes = program.command('ledes').description('LEDES e-billing files (1998B and 98BI V2).');

  ledes
    .command('validate')
    .description(
      'Check a LEDES file as client portals do before they accept it: structure, formats, ' +
        'required values, arithmetic, consistency and UTBMS codes. Reports every problem.',
    )
    .argument('<file>', 'LEDES 1998B or 98BI V2 file')
    .addHelpText('after', EXIT_HELP)
    .action(async (file: string, _options: unknown, command: Command) => {
      const json = Boolean(globalOptions(command).json);
      const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`Cannot read ${file}: ${error.code ?? error.message}.`);
      });
      let validation: LedesValidation;
      try {
        validation = validateLedesFile(bytes);
      } catch (error) {
        if (error instanceof AppError && error.code === 'LEDES_NOT_TEXT')
          throw new UsageError(`${file}: ${error.message}.`);
        throw error;
      }
      if (json) printJson(validation);
      // Text whose line 1 is no LEDES tag is not a LEDES file at all: bad input, not findings.
      if (validation.format === null) {
        if (!json) {
          const reason = validation.problems[0]?.message ?? 'no LEDES tag on line 1';
          process.stderr.write(`error: ${file} is not a LEDES file: ${reason}\n`);
        }
        process.exitCode = EXIT_USAGE;
        return;
      }
      if (!json) printReport(validation, file);
      if (validation.summary.errors > 0) process.exitCode = EXIT_FINDINGS;
    });

  ledes
    .command('readiness')
    .description(
      "Would the client's portal take this invoice? Writes and validates the would-be file and " +
        'checks the e-billing profile, approved timekeepers and rates, codes, open blocking ' +
        'exceptions and the invoice number; every problem names its owner.',
    )
    .argument('<invoice-number>', 'the invoice number')
    .addHelpText('after', '\nExit codes: 0 ready, 1 problems found, 2 no such invoice.\n')
    .action(async (number: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      const report = await withDatabase(global, (ctx) =>
        getReadiness(ctx, SYSTEM_ACTOR, { number }),
      );
      if (global.json) printJson(report);
      else process.stdout.write(formatReadiness(report));
      if (!report.ready) process.exitCode = EXIT_FINDINGS;
    });

  ledes
    .command('export')
    .description(
      "Export approved invoices as LEDES files in each client's format. An invoice that fails " +
        'the readiness check is refused with its problems. Every export is recorded with its ' +
        'SHA-256 checksum.',
    )
    .option('--invoice <number>', 'one invoice; written to --out, or to stdout without it')
    .option('--period <month>', 'every approved invoice of LEDES clients for YYYY-MM (needs --out)')
    .option('--out <path>', 'the file (--invoice) or the directory (--period) to write')
    .addHelpText(
      'after',
      '\nExit codes: 0 exported, 1 an invoice was refused (not approved or not ready), 2 bad usage or no such invoice.\n',
    )
    .action(async (options: ExportOptions, command: Command) => {
      const global = globalOptions(command);
      if ((options.invoice === undefined) === (options.period === undefined))
        throw new UsageError('Give either --invoice <number> or --period YYYY-MM.');
      if (options.period !== undefined) {
        if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(options.period))
          throw new UsageError(`--period must be a month as YYYY-MM, got "${options.period}".`);
        if (options.out === undefined) throw new UsageError('--period needs --out <directory>.');
        const out = options.out;
        const period = options.period;
        const result = await withDatabase(global, (ctx) =>
          exportPeriodLedes(ctx, SYSTEM_ACTOR, period),
        );
        await mkdir(out, { recursive: true });
        for (const file of result.exported)
          await writeFile(join(out, file.file_name), file.content);
        if (global.json)
          printJson({ exported: result.exported.map(summaryOf), refused: result.refused });
        else {
          const lines = result.exported.map((e) => `${describe(e)} -> ${join(out, e.file_name)}\n`);
          for (const r of result.refused) {
            lines.push(`refused ${r.invoice_number}: ${r.message} [${r.code}]\n`);
            lines.push(...r.problems.map(problemLine));
          }
          lines.push(
            `${period}: ${result.exported.length} exported, ${result.refused.length} refused\n`,
          );
          process.stdout.write(lines.join(''));
        }
        if (result.refused.length > 0) process.exitCode = EXIT_FINDINGS;
        return;
      }
      const number = options.invoice!;
      let exported: LedesExport;
      try {
        exported = await withDatabase(global, (ctx) =>
          exportInvoiceLedes(ctx, SYSTEM_ACTOR, { number }),
        );
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'NOT_READY_FOR_EXPORT') throw error;
        const problems = (error.details as { problems: ReadinessProblem[] }).problems;
        if (global.json) printJson({ code: error.code, message: error.message, problems });
        else
          process.stderr.write(
            `error: ${error.message} [${error.code}]\n${problems.map(problemLine).join('')}`,
          );
        process.exitCode = EXIT_FINDINGS;
        return;
      }
      if (options.out === undefined) {
        // The file goes to stdout for a pipe; the record of it to stderr.
        process.stdout.write(exported.content);
        process.stderr.write(`${describe(exported)}\n`);
        return;
      }
      await writeFile(options.out, exported.content);
      if (global.json) printJson(summaryOf(exported));
      else process.stdout.write(`${describe(exported)} -> ${options.out}\n`);
    });
}

interface ExportOptions {
  invoice?: string;
  period?: string;
  out?: string;
}

function summaryOf({ content: _content, ...record }: LedesExport) {
  return record;
}

function describe(e: LedesExport): string {
  return `${e.invoice_number}: ${e.format}, ${e.bytes} bytes, sha256 ${e.sha256}`;
}

function problemLine(p: ReadinessProblem): string {
  const where = p.line_number === null ? 'invoice' : `line ${p.line_number}`;
  return `  ${where}  ${p.code}  ${p.message}  [owner: ${p.owner.role}${p.owner.email === null ? '' : ` ${p.owner.email}`}]\n`;
}

/** One line per readiness problem: where, how bad, what, and who must fix it. */
export function formatReadiness(report: ReadinessReport): string {
  const out = report.problems.map((p) => {
    const where = p.line_number === null ? 'invoice' : `line ${p.line_number}`;
    const who = `${p.owner.role}${p.owner.email === null ? ' (nobody assigned)' : ` ${p.owner.email}`}`;
    return `${where}  ${p.field ?? '-'}  ${p.severity}  ${p.code}  ${p.message}  [owner: ${who}]\n`;
  });
  for (const c of report.cleaned)
    out.push(
      `cleaned line ${c.line} ${c.field}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}\n`,
    );
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  out.push(
    `${report.invoice_number}: ${report.format ?? 'no LEDES format'}, ${report.ready ? 'ready' : 'not ready'} (${errors} error${errors === 1 ? '' : 's'}, ${report.problems.length - errors} warning${report.problems.length - errors === 1 ? '' : 's'})\n`,
  );
  return out.join('');
}

function printReport({ format, summary, problems }: LedesValidation, file: string): void {
  // Built as one string: a large file's report is written in one call, not one per problem.
  const lines = problems.map(
    (p) => `line ${p.line}  ${p.field ?? '-'}  ${p.severity}  ${p.code}  ${p.message}\n`,
  );
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  lines.push(
    `${file}: ${format}, ${plural(summary.invoices, 'invoice')}, ${plural(summary.lines, 'line')}, ` +
      `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}\n`,
  );
  process.stdout.write(lines.join(''));
}
