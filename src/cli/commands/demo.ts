import type { Command } from 'commander';
import { databaseTarget, describeTarget } from '../../config/config.js';
import type { AppContext } from '../../config/context.js';
import { isIsoDate } from '../../domain/dates.js';
import type { DemoLoadReport, DemoSignIns } from '../../modules/demo/demo.service.js';
import { countFirm, existingDemoSignIns, loadDemoFirm } from '../../modules/demo/demo.service.js';
import { globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

export type { DemoSignIns } from '../../modules/demo/demo.service.js';

/**
 * Loads the demo firm when the database has no users yet (and no clients: a firm that imported
 * its data before creating users must not get a demo mixed in). On later runs it returns the
 * demo sign-ins again, with `loaded: false`, while the demo users are still there, so
 * `npm start` keeps printing them; for any other database it returns null.
 */
export async function loadDemoIfEmpty(ctx: AppContext): Promise<DemoSignIns | null> {
  const { users, clients } = await countFirm(ctx);
  if (users === 0 && clients === 0) return loadDemoFirm(ctx);
  return existingDemoSignIns(ctx);
}

export function printDemoSignIns(demo: DemoSignIns): void {
  process.stdout.write(`\nDemo sign-ins (password for all: ${demo.password}):\n`);
  for (const user of demo.users)
    process.stdout.write(`  ${user.roles.join(', ').padEnd(28)} ${user.email}\n`);
}

interface DemoOptions {
  seed?: string;
  today?: string;
}

function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seed = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seed) || seed > 0xffff_ffff)
    throw new UsageError(`--seed must be a whole number from 0 to 4294967295, got "${text}".`);
  return seed;
}

function printReport(report: DemoLoadReport, target: string): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`Loaded the demo firm ${report.firm} (seed ${report.seed}) into ${target}.`);
  out(`Work dated ${report.period.from} to ${report.period.to}.`);
  for (const [kind, count] of Object.entries(report.counts)) {
    const note = kind === 'time-entries' ? `  (${report.draftEntries} not yet released)` : '';
    out(`  ${kind.padEnd(20)} ${String(count).padStart(6)}${note}`);
  }
  out(`Guidelines active: ${report.guidelines} (firm-wide and Northwind Logistics).`);
  out('\nBilling problems planted for the checks to find (entries and expenses):');
  for (const [kind, count] of Object.entries(report.problems))
    out(`  ${kind.replaceAll('_', ' ').padEnd(24)} ${String(count).padStart(4)}`);
  printDemoSignIns(report);
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Load the demo firm (Hartwell & Pierce LLP) into an empty database.')
    .option('--seed <n>', 'seed of the generated work (same seed, same firm)')
    .option('--today <date>', 'generate as if today were YYYY-MM-DD (default: today)')
    .action(async (options: DemoOptions, command: Command) => {
      const global = globalOptions(command);
      const seed = parseSeed(options.seed);
      if (options.today !== undefined && !isIsoDate(options.today))
        throw new UsageError(`--today must be a date as YYYY-MM-DD, got "${options.today}".`);
      await withDatabase(global, async (ctx) => {
        const { clients } = await countFirm(ctx);
        if (clients > 0)
          throw new UsageError(
            `The database already has ${clients} client(s); the demo firm loads only into an empty database (choose another with --data or --database-url).`,
          );
        const report = await loadDemoFirm(ctx, { seed, today: options.today });
        if (global.json) printJson(report);
        else printReport(report, describeTarget(databaseTarget(global)));
      });
    });
}
