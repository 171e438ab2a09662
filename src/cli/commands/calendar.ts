import type { Command } from 'commander';
import { isIsoDate } from '../../domain/dates.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import {
  addHoliday,
  listHolidays,
  removeHoliday,
} from '../../modules/calendar/calendar.service.js';
import { globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

function date(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && !isIsoDate(value))
    throw new UsageError(`${name} must be a date as YYYY-MM-DD, got "${value}".`);
  return value;
}

/** Registers `matterflow calendar holidays list|add|remove`. */
export function registerCalendar(program: Command): void {
  const holidays = program
    .command('calendar')
    .description('The firm calendar that business-day SLAs use.')
    .command('holidays')
    .description('List, add and remove the firm’s holidays (each change is audited).');

  holidays
    .command('list')
    .description('List the holidays, stored and from MATTERFLOW_HOLIDAYS, in date order.')
    .option('--from <date>', 'from this day (YYYY-MM-DD)')
    .option('--to <date>', 'up to this day (YYYY-MM-DD)')
    .action(async (options: { from?: string; to?: string }, command: Command) => {
      const global = globalOptions(command);
      const range = { from: date(options.from, '--from'), to: date(options.to, '--to') };
      const items = await withDatabase(global, (ctx) => listHolidays(ctx, range));
      if (global.json) return printJson(items);
      for (const h of items)
        process.stdout.write(
          `${h.date}\t${h.name}${h.source === 'environment' ? '\t(environment)' : ''}\n`,
        );
      process.stdout.write(`${items.length} holiday(s).\n`);
    });

  holidays
    .command('add <date> <name>')
    .description('Add a holiday (YYYY-MM-DD and a name); SLAs skip it from now on.')
    .action(async (day: string, name: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      date(day, 'date');
      const added = await withDatabase(global, (ctx) =>
        addHoliday(ctx, SYSTEM_ACTOR, { date: day, name }),
      );
      if (global.json) return printJson(added);
      process.stdout.write(`Added ${added.date} ${added.name}.\n`);
    });

  holidays
    .command('remove <date>')
    .description('Remove a stored holiday.')
    .action(async (day: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      date(day, 'date');
      await withDatabase(global, (ctx) => removeHoliday(ctx, SYSTEM_ACTOR, day));
      process.stdout.write(`Removed ${day}.\n`);
    });
}
