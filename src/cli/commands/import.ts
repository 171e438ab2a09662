import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import type { Command } from 'commander';
import { AppError } from '../../domain/errors.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import type { ImportKind, ImportSummary } from '../../modules/import-export/import.service.js';
import {
  IMPORT_COLUMNS,
  IMPORT_KINDS,
  importCsv,
  isImportKind,
} from '../../modules/import-export/import.service.js';
import { EXIT_FINDINGS, globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

interface ImportCommandOptions {
  skipInvalid?: boolean;
  status: string;
}

/** The kinds and their columns, for the --help of import and export. */
export function kindsHelp(): string {
  const lines = IMPORT_KINDS.map((kind) => `  ${kind.padEnd(20)}${IMPORT_COLUMNS[kind].join(',')}`);
  return (
    `\nKinds and their CSV columns (header row required, any order):\n${lines.join('\n')}\n\n` +
    'Dates are YYYY-MM-DD, amounts and hours use "." for decimals (1234.50, 1.25), flags are\n' +
    'yes/no, several roles are separated by ";", and a blank cell means "none".\n'
  );
}

/** Checks a kind argument, as bad usage (exit 2) when it names no kind. */
export function parseKind(text: string): ImportKind {
  if (!isImportKind(text))
    throw new UsageError(`Unknown kind "${text}": use one of ${IMPORT_KINDS.join(', ')}.`);
  return text;
}

/** Registers `matterflow import <kind> <file>`. */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'Import a CSV file of one kind. All-or-nothing: any invalid row and nothing is written, ' +
        'unless --skip-invalid. Re-importing a file changes nothing (rows match by code or id).',
    )
    .argument('<kind>', `what the file holds: ${IMPORT_KINDS.join(', ')}`)
    .argument('<file>', 'CSV file (UTF-8, comma-separated, header row first)')
    .option('--skip-invalid', 'write the valid rows and report the invalid ones')
    .option(
      '--status <status>',
      'status of new time entries and expenses: released (ready for billing) or draft',
      'released',
    )
    .addHelpText('after', kindsHelp())
    .action(async (kindText: string, file: string, options: ImportCommandOptions, command) => {
      const kind = parseKind(kindText);
      if (options.status !== 'draft' && options.status !== 'released')
        throw new UsageError(`--status must be draft or released, got "${options.status}".`);
      const global = globalOptions(command as Command);
      const handle = await open(file).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`Cannot read ${file}: ${error.code ?? error.message}.`);
      });
      const size = (await handle.stat()).size;
      const progress = process.stderr.isTTY ? progressLine(kind, size) : null;
      // Counted on the way through (a 'data' listener would start the flow before the import
      // is ready to read, and the first bytes would be lost while the database opens).
      const stream = handle.createReadStream().pipe(
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            progress?.read(chunk.length);
            done(null, chunk);
          },
        }),
      );
      let summary: ImportSummary;
      try {
        summary = await withDatabase(global, (ctx) =>
          importCsv(ctx, SYSTEM_ACTOR, kind, stream, {
            skipInvalid: options.skipInvalid === true,
            workStatus: options.status as 'draft' | 'released',
            onProgress: progress ? (rows) => progress.rows(rows) : undefined,
          }),
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code === 'IMPORT_BAD_HEADER' || error.code === 'IMPORT_BAD_CSV')
          throw new UsageError(error.message);
        if (error.code !== 'IMPORT_INVALID') throw error;
        summary = (error.details as { summary: ImportSummary }).summary;
      } finally {
        progress?.clear();
        await handle.close();
      }
      printSummary(summary, file, Boolean(global.json));
      if (summary.errors.length) process.exitCode = EXIT_FINDINGS;
    });
}

function printSummary(summary: ImportSummary, file: string, json: boolean): void {
  if (json) {
    printJson(summary);
    return;
  }
  const counts = `${summary.inserted} inserted, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.skipped} skipped`;
  const failed = summary.errors.length > 0 && summary.skipped === summary.rows;
  process.stdout.write(
    failed
      ? `Nothing imported from ${file}: ${summary.rows} row(s), ${new Set(summary.errors.map((e) => e.row)).size} invalid.\n`
      : `Imported ${summary.kind} from ${file}: ${counts} (${summary.rows} row(s)).\n`,
  );
  for (const issue of summary.errors)
    process.stderr.write(`row ${issue.row}, ${issue.field}: ${issue.message}\n`);
}

/** A progress line on a terminal, by bytes read, redrawn at most ten times a second. */
function progressLine(kind: ImportKind, size: number) {
  let bytes = 0;
  let drawn = 0;
  return {
    read(count: number) {
      bytes += count;
    },
    rows(rows: number) {
      const now = Date.now();
      if (now - drawn < 100) return;
      drawn = now;
      const percent = size > 0 ? Math.min(100, Math.floor((bytes / size) * 100)) : 100;
      process.stderr.write(
        `\rImporting ${kind}: ${percent}% (${rows.toLocaleString('en-US')} rows)`,
      );
    },
    clear() {
      if (drawn > 0) process.stderr.write('\r\u001b[2K');
    },
  };
}
