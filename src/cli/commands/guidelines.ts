import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isIsoDate } from '../../domain/dates.js';
import { AppError, type FieldIssue } from '../../domain/errors.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { activateGuideline } from '../../modules/guidelines/activate-guideline.js';
import {
  exportGuideline,
  listGuidelineVersions,
} from '../../modules/guidelines/guidelines.service.js';
import { importGuideline } from '../../modules/guidelines/import-guideline.js';
import { runSandbox } from '../../modules/guidelines/run-sandbox.js';
import { EXIT_FINDINGS, globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';
import { printIssues, printSandbox, printVersions } from './guidelines-output.js';

/** Reads a document as UTF-8 text; bytes that are not UTF-8 would not survive storage unchanged. */
async function readDocument(file: string): Promise<string> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`Cannot read ${file}: ${error.code ?? error.message}.`);
  });
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new UsageError(`${file} is not UTF-8 text.`);
  }
}

function positiveInteger(text: string): number {
  if (!/^[1-9]\d{0,8}$/.test(text)) throw new UsageError(`"${text}" is not a version number.`);
  return Number(text);
}

/**
 * Runs `work`; a document with problems is reported as `file:line:column: …` lines (exit 1)
 * instead of the generic error line, unless --json asks for the error as JSON.
 */
async function reportingDocument(file: string, json: boolean, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    const issues = (error as AppError).details as { issues?: FieldIssue[] } | undefined;
    if (
      json ||
      !(error instanceof AppError) ||
      !error.code.startsWith('GUIDELINE_') ||
      !issues?.issues
    )
      throw error;
    process.stderr.write(`error: ${error.message} [${error.code}]\n`);
    printIssues(file, issues.issues);
    process.exitCode = EXIT_FINDINGS;
  }
}

/** Registers `matterflow guidelines import|activate|list|export|test`. */
export function registerGuidelines(program: Command): void {
  // Set before the subcommands are added, so they inherit it: a usage error exits through
  // runCli with code 2 instead of ending the process.
  const guidelines = program
    .command('guidelines')
    .exitOverride()
    .description(
      'Client billing guidelines: import versions, activate, list, export, try a draft.',
    );

  guidelines
    .command('import')
    .description('Import a guideline document (YAML or JSON) as a new draft version of its id.')
    .argument('<file>', 'the guideline document')
    .option('--activate', 'activate the new version at once')
    .action(async (file: string, options: { activate?: boolean }, command: Command) => {
      const global = globalOptions(command);
      const text = await readDocument(file);
      await reportingDocument(file, Boolean(global.json), async () => {
        const version = await withDatabase(global, (ctx) =>
          importGuideline(ctx, SYSTEM_ACTOR, text, { activate: options.activate === true }),
        );
        if (global.json) printJson(version);
        else
          process.stdout.write(
            `Imported guideline ${version.key} (client ${version.client}) as version ${version.version}, ` +
              `${version.status}, ${version.rule_count} rule(s).\n`,
          );
      });
    });

  guidelines
    .command('activate')
    .description('Activate a version (default: the latest), retiring the client’s active one.')
    .argument('<guideline-id>', 'the document id')
    .option('--version <n>', 'the version to activate', positiveInteger)
    .action(async (key: string, options: { version?: number }, command: Command) => {
      const global = globalOptions(command);
      const result = await withDatabase(global, (ctx) =>
        activateGuideline(ctx, SYSTEM_ACTOR, key, options.version),
      );
      const v = result.version;
      if (global.json) printJson(result);
      else if (!result.changed)
        process.stdout.write(`Guideline ${v.key} version ${v.version} is already active.\n`);
      else
        process.stdout.write(
          `Activated guideline ${v.key} version ${v.version} for client ${v.client}.\n`,
        );
    });

  guidelines
    .command('list')
    .description('List guideline versions.')
    .option('--client <code>', 'only this client’s ("*" for the firm-wide guideline)')
    .action(async (options: { client?: string }, command: Command) => {
      const global = globalOptions(command);
      const versions = await withDatabase(global, (ctx) =>
        listGuidelineVersions(ctx, SYSTEM_ACTOR, { client: options.client }),
      );
      if (global.json) printJson(versions);
      else printVersions(versions);
    });

  guidelines
    .command('export')
    .description('Print a client’s active guideline exactly as imported (exit 2 when none).')
    .argument('<client>', 'a client code, or "*" for the firm-wide guideline')
    .option('--version <n>', 'this version of the client’s guideline instead', positiveInteger)
    .option('--id <guideline-id>', 'the guideline id, when the client has more than one')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(
      async (
        client: string,
        options: { version?: number; id?: string; out?: string },
        command: Command,
      ) => {
        const global = globalOptions(command);
        const { version, sourceText } = await withDatabase(global, (ctx) =>
          exportGuideline(ctx, SYSTEM_ACTOR, { client, version: options.version, key: options.id }),
        );
        if (!options.out) {
          process.stdout.write(sourceText);
          return;
        }
        await writeFile(options.out, sourceText, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new UsageError(`Cannot write ${options.out}: ${error.code ?? error.message}.`);
        });
        if (global.json) printJson({ ...version, file: options.out });
        else
          process.stdout.write(
            `Exported ${version.key} version ${version.version} to ${options.out}.\n`,
          );
      },
    );

  guidelines
    .command('test')
    .description(
      'Run a draft guideline over past work and compare with the active rules; nothing is stored.',
    )
    .argument('<file>', 'the draft guideline document')
    .requiredOption('--from <date>', 'first work date, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last work date, YYYY-MM-DD')
    .action(async (file: string, options: { from: string; to: string }, command: Command) => {
      const global = globalOptions(command);
      for (const date of [options.from, options.to])
        if (!isIsoDate(date)) throw new UsageError(`"${date}" is not a date as YYYY-MM-DD.`);
      if (options.from > options.to) throw new UsageError('--from must not be after --to.');
      const content = await readDocument(file);
      await reportingDocument(file, Boolean(global.json), async () => {
        const report = await withDatabase(global, (ctx) =>
          runSandbox(ctx, SYSTEM_ACTOR, { content, from: options.from, to: options.to }),
        );
        if (global.json) printJson(report);
        else printSandbox(report);
      });
    });
}
