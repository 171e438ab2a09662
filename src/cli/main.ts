import { Command, CommanderError } from 'commander';
import { registerAudit } from './commands/audit.js';
import { registerBillRun } from './commands/bill-run.js';
import { registerCalendar } from './commands/calendar.js';
import { registerCheck } from './commands/check.js';
import { registerClients } from './commands/clients.js';
import { registerDemo } from './commands/demo.js';
import { registerEbilling } from './commands/ebilling.js';
import { registerExport } from './commands/export.js';
import { registerGuidelines } from './commands/guidelines.js';
import { registerImport } from './commands/import.js';
import { registerInvoices } from './commands/invoices.js';
import { registerLedes } from './commands/ledes.js';
import { registerMetrics } from './commands/metrics.js';
import { registerMigrate } from './commands/migrate.js';
import { registerMail, registerNotifications, registerWorker } from './commands/notifications.js';
import { registerPrebill } from './commands/prebill.js';
import { registerReports } from './commands/reports.js';
import { registerRouting } from './commands/routing.js';
import { registerServe } from './commands/serve.js';
import { registerSettings } from './commands/settings.js';
import { registerUsers } from './commands/users.js';
import { EXIT_USAGE, reportError, UsageError } from './runtime.js';

/** Builds the `matterflow` command tree. Each command lives in commands/ and registers itself. */
export function buildProgram(): Command {
  const program = new Command('matterflow')
    .description('Matterflow: billing workflow for law firms.')
    .option('--data <dir>', 'embedded database directory (env MATTERFLOW_DATA_DIR; default ./data)')
    .option(
      '--database-url <url>',
      'PostgreSQL server instead of the embedded database (env MATTERFLOW_DATABASE_URL)',
    )
    .option('--json', 'machine-readable output')
    .showHelpAfterError()
    .exitOverride();
  registerServe(program);
  registerMigrate(program);
  for (const register of EXTRA_COMMANDS) register(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Further commands, registered by their modules. */
const EXTRA_COMMANDS: ((program: Command) => void)[] = [
  registerImport,
  registerExport,
  registerDemo,
  registerCheck,
  registerLedes,
  registerGuidelines,
  registerAudit,
  registerBillRun,
  registerInvoices,
  registerRouting,
  registerMetrics,
  registerWorker,
  registerNotifications,
  registerMail,
  registerEbilling,
  registerPrebill,
  registerReports,
  registerCalendar,
  registerClients,
  registerUsers,
  registerSettings,
];

/** Runs the CLI and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit code 0; every other parse error is bad usage.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    return reportError(error, Boolean(program.opts<{ json?: boolean }>().json));
  }
}
