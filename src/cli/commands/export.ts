import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { exportCsv } from '../../modules/import-export/export.service.js';
import { IMPORT_KINDS } from '../../modules/import-export/import.service.js';
import { globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';
import { kindsHelp, parseKind } from './import.js';

/** Registers `matterflow export <kind> [--out file]`. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'Export the active rows of one kind as CSV in the import format (codes, not ids), so the ' +
        'file imports back unchanged.',
    )
    .argument('<kind>', `what to export: ${IMPORT_KINDS.join(', ')}`)
    .option('--out <file>', 'write to this file instead of standard output')
    .addHelpText('after', kindsHelp())
    .action(async (kindText: string, options: { out?: string }, command) => {
      const kind = parseKind(kindText);
      const global = globalOptions(command as Command);
      if (!options.out) {
        await withDatabase(global, (ctx) => exportCsv(ctx, SYSTEM_ACTOR, kind, process.stdout));
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
        const rows = await withDatabase(global, (ctx) =>
          exportCsv(ctx, SYSTEM_ACTOR, kind, output),
        );
        output.end();
        await finished(output);
        await rename(partial, options.out);
        if (global.json) printJson({ kind, rows, file: options.out });
        else process.stdout.write(`Exported ${rows} ${kind} row(s) to ${options.out}.\n`);
      } catch (error) {
        output.destroy();
        await rm(partial, { force: true });
        throw error;
      }
    });
}
