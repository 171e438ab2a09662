import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AppError, type FieldIssue } from '../../domain/errors.js';
import { parseMoney } from '../../domain/money.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { activateRoutingTable } from '../../modules/routing/activate-routing-table.js';
import { importRoutingTable } from '../../modules/routing/import-routing-table.js';
import { previewStageOwners } from '../../modules/routing/resolve-stage-owners.js';
import type { StageOwnersDto } from '../../modules/routing/routing.schemas.js';
import { exportRoutingTable, listRoutingTables } from '../../modules/routing/routing.service.js';
import { EXIT_FINDINGS, globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';
import { printIssues } from './guidelines-output.js';

const write = (text: string) => process.stdout.write(text);

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

function owner(o: { role: string; email: string | null }): string {
  return `${o.email ?? '(nobody)'} as ${o.role}`;
}

function printOwners(r: StageOwnersDto): void {
  const source = r.table === null ? 'built-in route' : `${r.table.key} v${r.table.version}`;
  write(`Matter ${r.matter_code}, ${r.amount}: ${source}, rule ${r.rule_id ?? 'default'}\n`);
  write(`  reviewer  ${owner(r.reviewer)}\n`);
  for (const a of r.approvers) write(`  level ${a.level}   ${owner(a)}\n`);
}

/** Registers `matterflow routing import|list|activate|export|resolve`. */
export function registerRouting(program: Command): void {
  // Set before the subcommands are added, so a usage error exits through runCli with code 2.
  const routing = program
    .command('routing')
    .exitOverride()
    .description(
      'Invoice routing tables: import versions, activate, list, export, preview owners.',
    );

  routing
    .command('import')
    .description('Import a routing table document (YAML or JSON) as a new draft version of its id.')
    .argument('<file>', 'the routing table document')
    .option('--activate', 'activate the new version at once')
    .action(async (file: string, options: { activate?: boolean }, command: Command) => {
      const global = globalOptions(command);
      const text = await readDocument(file);
      try {
        const version = await withDatabase(global, (ctx) =>
          importRoutingTable(ctx, SYSTEM_ACTOR, text, { activate: options.activate === true }),
        );
        if (global.json) printJson(version);
        else
          write(
            `Imported routing table ${version.key} as version ${version.version}, ` +
              `${version.status}, ${version.rule_count} rule(s).\n`,
          );
      } catch (error) {
        // Problems are listed as file:line:column lines, the form editors jump to.
        const issues = (error as AppError).details as { issues?: FieldIssue[] } | undefined;
        if (global.json || !(error instanceof AppError) || !issues?.issues) throw error;
        process.stderr.write(`error: ${error.message} [${error.code}]\n`);
        printIssues(file, issues.issues);
        process.exitCode = EXIT_FINDINGS;
      }
    });

  routing
    .command('list')
    .description('List routing table versions.')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      const versions = await withDatabase(global, (ctx) => listRoutingTables(ctx, SYSTEM_ACTOR));
      if (global.json) printJson(versions);
      else if (versions.length === 0) write('No routing tables.\n');
      else
        for (const v of versions)
          write(`${v.key}  v${v.version}  ${v.status}  ${v.rule_count} rule(s)  ${v.name}\n`);
    });

  routing
    .command('activate')
    .description('Activate a version (default: the latest), retiring the active table.')
    .argument('<key>', 'the routing table id')
    .option('--version <n>', 'the version to activate', positiveInteger)
    .action(async (key: string, options: { version?: number }, command: Command) => {
      const global = globalOptions(command);
      const result = await withDatabase(global, (ctx) =>
        activateRoutingTable(ctx, SYSTEM_ACTOR, key, options.version),
      );
      const v = result.version;
      if (global.json) printJson(result);
      else if (!result.changed)
        write(`Routing table ${v.key} version ${v.version} is already active.\n`);
      else write(`Activated routing table ${v.key} version ${v.version}.\n`);
    });

  routing
    .command('export')
    .description('Print the active routing table exactly as imported (exit 2 when none).')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (options: { out?: string }, command: Command) => {
      const global = globalOptions(command);
      const { version, sourceText } = await withDatabase(global, (ctx) =>
        exportRoutingTable(ctx, SYSTEM_ACTOR),
      );
      if (!options.out) {
        write(sourceText);
        return;
      }
      await writeFile(options.out, sourceText, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`Cannot write ${options.out}: ${error.code ?? error.message}.`);
      });
      if (global.json) printJson({ ...version, file: options.out });
      else write(`Exported ${version.key} version ${version.version} to ${options.out}.\n`);
    });

  routing
    .command('resolve')
    .description('Show who would review and approve an invoice on a matter for an amount.')
    .requiredOption('--matter <code>', 'the matter code')
    .requiredOption('--amount <amount>', 'the invoice total, e.g. 1234.50')
    .action(async (options: { matter: string; amount: string }, command: Command) => {
      const global = globalOptions(command);
      if ((parseMoney(options.amount) ?? -1) < 0)
        throw new UsageError(`"${options.amount}" is not an amount, e.g. 1234.50.`);
      const result = await withDatabase(global, (ctx) =>
        previewStageOwners(ctx, SYSTEM_ACTOR, options.matter, options.amount),
      );
      if (global.json) printJson(result);
      else printOwners(result);
    });
}
