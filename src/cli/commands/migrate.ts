import type { Command } from 'commander';
import { describeTarget, databaseTarget } from '../../config/config.js';
import { migrateToLatest } from '../../db/migrate.js';
import { globalOptions, printJson, withDatabase } from '../runtime.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (the server also does this at start).')
    .action(async (_options, command: Command) => {
      const options = globalOptions(command);
      await withDatabase(
        options,
        async (ctx) => {
          const result = await migrateToLatest(ctx.db);
          const applied = (result.results ?? [])
            .filter((r) => r.status === 'Success')
            .map((r) => r.migrationName);
          if (options.json) printJson({ applied });
          else {
            process.stdout.write(`Database: ${describeTarget(databaseTarget(options))}\n`);
            process.stdout.write(
              applied.length
                ? `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}\n`
                : 'Up to date.\n',
            );
          }
        },
        { autoMigrate: false },
      );
    });
}
