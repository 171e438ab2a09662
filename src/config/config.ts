import { resolve } from 'node:path';
import type { DatabaseTarget } from '../db/database.js';

/** Global options every command and the server accept (flags win over environment). */
export interface GlobalOptions {
  data?: string;
  databaseUrl?: string;
  json?: boolean;
}

/** Picks the database: `--database-url` / MATTERFLOW_DATABASE_URL, else PGlite in `--data` / MATTERFLOW_DATA_DIR / ./data. */
export function databaseTarget(
  options: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
): DatabaseTarget {
  const url = options.databaseUrl ?? env.MATTERFLOW_DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(
        `The database URL must start with postgres:// (got "${url.split('@').pop()}").`,
      );
    }
    return { kind: 'postgres', url };
  }
  return { kind: 'pglite', dataDir: resolve(options.data ?? env.MATTERFLOW_DATA_DIR ?? 'data') };
}

/** Describes a target for humans without printing credentials. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'pglite') return `embedded database in ${target.dataDir ?? 'memory'}`;
  const url = new URL(target.url);
  return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
}
