import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { isRole, ROLES } from '../../domain/roles.js';
import type { FieldVisibilityDto } from '../../modules/field-visibility/field-visibility.schemas.js';
import {
  listFieldVisibility,
  setFieldVisibility,
} from '../../modules/field-visibility/field-visibility.service.js';
import { globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

function yesNo(option: string, text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (text === 'yes') return true;
  if (text === 'no') return false;
  throw new UsageError(`${option} must be yes or no, got "${text}".`);
}

function table(rows: readonly FieldVisibilityDto[]): string {
  const shown = (flag: boolean) => (flag ? 'shown' : 'hidden');
  const lines = rows.map(
    (r) =>
      `${r.role.padEnd(20)} ${shown(r.rates).padEnd(8)} ${shown(r.reasons).padEnd(8)} ${r.version}`,
  );
  return [
    `${'role'.padEnd(20)} ${'rates'.padEnd(8)} ${'reasons'.padEnd(8)} version`,
    ...lines,
  ].join('\n');
}

/** Registers `matterflow settings field-visibility show|set`: who sees rates and reasons. */
export function registerSettings(program: Command): void {
  const settings = program.command('settings').description('Firm settings.');
  const fields = settings
    .command('field-visibility')
    .description('Per role: whether it sees rates and amounts, and write-down reasons.');

  fields
    .command('show')
    .description('Show every role and what it sees.')
    .action(async (_options, command) => {
      const global = globalOptions(command as Command);
      const rows = await withDatabase(global, (ctx) => listFieldVisibility(ctx));
      if (global.json) return printJson({ items: rows });
      process.stdout.write(`${table(rows)}\n`);
    });

  fields
    .command('set <role>')
    .description('Change what one role sees (audited).')
    .option('--rates <yes|no>', 'sees rates and money amounts of work')
    .option('--reasons <yes|no>', 'sees write-down and adjustment reasons')
    .option('--version <n>', 'the version you saw (default: the current one)')
    .action(
      async (
        role: string,
        options: { rates?: string; reasons?: string; version?: string },
        command,
      ) => {
        if (!isRole(role))
          throw new UsageError(`<role> must be one of ${ROLES.join(', ')}, got "${role}".`);
        const rates = yesNo('--rates', options.rates);
        const reasons = yesNo('--reasons', options.reasons);
        if (rates === undefined && reasons === undefined)
          throw new UsageError('Give --rates, --reasons or both.');
        const version = options.version === undefined ? undefined : Number(options.version);
        if (version !== undefined && !(Number.isInteger(version) && version >= 1))
          throw new UsageError(
            `--version must be a positive whole number, got "${options.version}".`,
          );
        const global = globalOptions(command as Command);
        const row = await withDatabase(global, async (ctx) => {
          const current = (await listFieldVisibility(ctx)).find((r) => r.role === role)!;
          return setFieldVisibility(ctx, SYSTEM_ACTOR, role, {
            ...(rates === undefined ? {} : { rates }),
            ...(reasons === undefined ? {} : { reasons }),
            version: version ?? current.version,
          });
        });
        if (global.json) return printJson(row);
        process.stdout.write(`${table([row])}\n`);
      },
    );
}
