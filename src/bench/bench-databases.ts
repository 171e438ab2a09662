/** Fresh databases for benchmarks: a PGlite data directory, or a new database on a PostgreSQL server. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';

/**
 * Which databases a benchmark runs on: both, or the one MATTERFLOW_BENCH_DATABASES names
 * (`pglite` or `postgres`); any other value is refused rather than running nothing.
 */
export function selectedDatabases(): { pglite: boolean; postgres: boolean } {
  const only = process.env.MATTERFLOW_BENCH_DATABASES;
  if (only === undefined || only === '') return { pglite: true, postgres: true };
  if (only !== 'pglite' && only !== 'postgres')
    throw new Error(`MATTERFLOW_BENCH_DATABASES must be pglite or postgres, not "${only}"`);
  return { pglite: only === 'pglite', postgres: only === 'postgres' };
}

/** Runs `work` on a migrated PGlite database in a temporary directory, removed afterwards. */
export async function withFreshPglite<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'matterflow-bench-'));
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') });
    try {
      await migrateToLatest(database.db);
      return await work(database);
    } finally {
      await database.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `work` on a new, migrated database on the server at `serverUrl`, dropped afterwards, so
 * figures never depend on what an earlier run left behind.
 */
export async function withFreshPostgres<T>(
  serverUrl: string,
  poolSize: number,
  work: (database: Database) => Promise<T>,
): Promise<T> {
  const name = `matterflow_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize });
    try {
      await migrateToLatest(database.db);
      return await work(database);
    } finally {
      await database.close();
    }
  } finally {
    // The pool's connections close asynchronously; dropping while one is closing makes the
    // server kill it, which the closed pool reports as a crash.
    for (let i = 0; i < 50; i++) {
      const { rows } = await admin.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = $1',
        [name],
      );
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await admin.query(`drop database if exists ${name}`);
    await admin.end();
  }
}
