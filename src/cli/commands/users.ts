import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { AppContext } from '../../config/context.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import type { Role } from '../../domain/roles.js';
import { isRole, ROLES } from '../../domain/roles.js';
import { findUserByEmail } from '../../modules/auth/auth.repository.js';
import type { UserDto } from '../../modules/users/users.schemas.js';
import {
  createUser,
  deactivateUser,
  getUser,
  listUsers,
  setPassword,
} from '../../modules/users/users.service.js';
import { globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

interface PasswordOptions {
  passwordStdin?: boolean;
}

/** Reads all of standard input (a password piped in), without its final line break. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks for a line on the terminal without echoing what is typed. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    let prompted = false;
    output._writeToOutput = (text: string) => {
      if (!prompted) process.stderr.write(text);
      prompted = true;
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/**
 * The new password: from standard input with --password-stdin, else asked twice on the
 * terminal. Never from the command line, where it would land in shell history and `ps`.
 */
async function readPassword(options: PasswordOptions): Promise<string> {
  if (options.passwordStdin) {
    const password = await readStdin();
    if (password === '') throw new UsageError('--password-stdin read no password.');
    return password;
  }
  if (!process.stdin.isTTY)
    throw new UsageError('Type the password at the prompt, or pipe it in with --password-stdin.');
  const password = await askHidden('New password: ');
  if ((await askHidden('Repeat it: ')) !== password)
    throw new UsageError('The two passwords differ; nothing was changed.');
  return password;
}

async function userByEmail(ctx: AppContext, email: string): Promise<UserDto> {
  const row = await findUserByEmail(ctx.db, email);
  if (!row) throw new UsageError(`No user with email ${email}.`);
  return getUser(ctx, SYSTEM_ACTOR, row.id);
}

function parseRoles(roles: string[]): Role[] {
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0 || roles.length === 0)
    throw new UsageError(
      `--role must be one of ${ROLES.join(', ')}${unknown.length ? ` (got ${unknown.join(', ')})` : ''}.`,
    );
  return roles as Role[];
}

function describe(user: UserDto): string {
  const state = user.active ? (user.has_password ? 'active' : 'no password') : 'disabled';
  return `${user.email.padEnd(32)} ${user.name.padEnd(24)} ${user.roles.join(',').padEnd(28)} ${state}`;
}

/** Registers `matterflow users create|set-password|disable|list`, the admin's way in. */
export function registerUsers(program: Command): void {
  const users = program
    .command('users')
    .description('Create users, set passwords, disable and list users (as the server operator).');

  users
    .command('create')
    .description('Create a user; the password is asked for, or read with --password-stdin.')
    .requiredOption('--email <email>', 'sign-in email address')
    .requiredOption('--name <name>', 'full name')
    .requiredOption(
      '--role <role>',
      `a role (repeat for several): ${ROLES.join(', ')}`,
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--timekeeper <code>', 'the timekeeper this user records time as')
    .option('--password-stdin', 'read the password from standard input')
    .action(
      async (
        options: PasswordOptions & {
          email: string;
          name: string;
          role: string[];
          timekeeper?: string;
        },
        command: Command,
      ) => {
        const global = globalOptions(command);
        const roles = parseRoles(options.role);
        const password = await readPassword(options);
        const user = await withDatabase(global, (ctx) =>
          createUser(ctx, SYSTEM_ACTOR, {
            email: options.email,
            name: options.name,
            roles,
            password,
            ...(options.timekeeper === undefined ? {} : { timekeeper_code: options.timekeeper }),
          }),
        );
        if (global.json) printJson(user);
        else process.stdout.write(`Created user ${user.id}: ${describe(user)}\n`);
      },
    );

  users
    .command('set-password')
    .description("Set a user's password and end all their sessions.")
    .argument('<email>', 'the user')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (email: string, options: PasswordOptions, command: Command) => {
      const global = globalOptions(command);
      const password = await readPassword(options);
      await withDatabase(global, async (ctx) => {
        const user = await userByEmail(ctx, email);
        await setPassword(ctx, SYSTEM_ACTOR, user.id, password);
      });
      process.stdout.write(`Password set for ${email}; their sessions have ended.\n`);
    });

  users
    .command('disable')
    .description('Disable a user: no sign-in, and their sessions and API tokens stop working.')
    .argument('<email>', 'the user')
    .action(async (email: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      await withDatabase(global, async (ctx) => {
        const user = await userByEmail(ctx, email);
        await deactivateUser(ctx, SYSTEM_ACTOR, user.id, user.version);
      });
      process.stdout.write(`Disabled ${email}.\n`);
    });

  users
    .command('list')
    .description('List every user with roles and state.')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      const all = await withDatabase(global, async (ctx) => {
        const found: UserDto[] = [];
        let cursor: string | undefined;
        do {
          const page = await listUsers(ctx, SYSTEM_ACTOR, {
            limit: 200,
            ...(cursor === undefined ? {} : { cursor }),
          });
          found.push(...page.items);
          cursor = page.next_cursor ?? undefined;
        } while (cursor !== undefined);
        return found;
      });
      if (global.json) printJson(all);
      else for (const user of all) process.stdout.write(`${describe(user)}\n`);
    });
}
