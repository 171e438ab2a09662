import type { AppContext } from '../../config/context.js';

/** The sign-ins of the demo firm, printed after loading it. */
export interface DemoSignIns {
  loaded: boolean;
  password: string;
  users: { email: string; roles: string[] }[];
}

/** Loads the demo firm when the database has no users yet; returns its sign-ins either way. */
export async function loadDemoIfEmpty(_ctx: AppContext): Promise<DemoSignIns | null> {
  return null;
}

export function printDemoSignIns(demo: DemoSignIns): void {
  process.stdout.write(`\nDemo sign-ins (password for all: ${demo.password}):\n`);
  for (const user of demo.users)
    process.stdout.write(`  ${user.roles.join(', ').padEnd(28)} ${user.email}\n`);
}
