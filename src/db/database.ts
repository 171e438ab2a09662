import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-driver.js';
import { PreparingClient } from './preparing-client.js';
import type { DB } from './schema.js';
import { TYPE_PARSERS } from './type-parsers.js';

/** Where the data lives: an embedded PGlite directory (or memory) or a PostgreSQL server. */
export type DatabaseTarget =
  { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string; poolSize?: number };

export interface Database {
  db: Kysely<DB>;
  target: DatabaseTarget;
  close(): Promise<void>;
}

/** Opens the database named by `target`. PGlite directories are created when missing. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const db = target.kind === 'pglite' ? await openPglite(target.dataDir) : openPostgres(target);
  return {
    db,
    target,
    close: () => db.destroy(),
  };
}

async function openPglite(dataDir: string | null): Promise<Kysely<DB>> {
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir ?? undefined);
  return new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
}

/** Opens an in-memory PGlite from a data-directory dump (used by tests to skip initdb and migrations). */
export async function openPgliteFromDump(dump: Blob): Promise<Database> {
  const pglite = await PGlite.create({ loadDataDir: dump });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return { db, target: { kind: 'pglite', dataDir: null }, close: () => db.destroy() };
}

function openPostgres(target: { url: string; poolSize?: number }): Kysely<DB> {
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    // Statements are parsed and planned once per connection, not on every execution.
    Client: PreparingClient,
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        const parser = TYPE_PARSERS[oid];
        if (parser && format !== 'binary') return parser;
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection can be closed by the server (restart, failover, a dropped database).
  // node-postgres then emits 'error' on the pool, which would crash the process if unheard;
  // the pool has already discarded that client, and queries in flight fail on their own.
  pool.on('error', () => {});
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
