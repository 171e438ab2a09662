import type { Command } from 'commander';
import type { AppContext } from '../config/context.js';
import type { GlobalOptions } from '../config/config.js';
import { databaseTarget } from '../config/config.js';
import type { Database } from '../db/database.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { ErrorKind } from '../domain/errors.js';
import { AppError } from '../domain/errors.js';

/** Exit codes: 0 ok, 1 findings or validation errors reported, 2 bad usage or unreadable input. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** The one table from error kinds to exit codes. */
export const EXIT_BY_KIND: Record<ErrorKind, number> = {
  validation: EXIT_FINDINGS,
  conflict: EXIT_FINDINGS,
  not_found: EXIT_USAGE,
  unauthenticated: EXIT_USAGE,
  forbidden: EXIT_USAGE,
  rate_limited: EXIT_USAGE,
  unavailable: EXIT_USAGE,
};

/** Bad usage or unreadable input: printed as one line, exit 2. */
export class UsageError extends Error {}

/** The global options of the root program, as seen from any subcommand. */
export function globalOptions(command: Command): GlobalOptions {
  let root = command;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}

/** Opens the configured database, applies pending migrations, runs `work`, and closes it. */
export async function withDatabase<T>(
  options: GlobalOptions,
  work: (ctx: AppContext, database: Database) => Promise<T>,
  { autoMigrate = true }: { autoMigrate?: boolean } = {},
): Promise<T> {
  let target;
  try {
    target = databaseTarget(options);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const database = await openDatabase(target);
  try {
    if (autoMigrate) await migrateToLatest(database.db);
    return await work({ db: database.db, now: () => new Date() }, database);
  } finally {
    await database.close();
  }
}

/** Prints a value as JSON on stdout (for `--json`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Turns any error into one clear line on stderr (and details as JSON with --json) and an exit code. */
export function reportError(error: unknown, json: boolean): number {
  if (error instanceof AppError) {
    if (json) {
      printJson({ code: error.code, message: error.message, details: error.details ?? null });
    } else {
      process.stderr.write(`error: ${error.message} [${error.code}]\n`);
      const issues = (
        error.details as
          { issues?: { row?: number; line?: number; field: string; message: string }[] } | undefined
      )?.issues;
      for (const issue of issues ?? []) {
        const where =
          issue.row !== undefined
            ? `row ${issue.row}, `
            : issue.line !== undefined
              ? `line ${issue.line}, `
              : '';
        process.stderr.write(`  ${where}${issue.field}: ${issue.message}\n`);
      }
    }
    return EXIT_BY_KIND[error.kind];
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  return EXIT_USAGE;
}
