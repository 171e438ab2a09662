import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import type { AppContext } from '../config/context.js';
import type { Database } from '../db/database.js';
import { openDatabase, openPgliteFromDump } from '../db/database.js';

/** A test clock: starts at a fixed instant and moves only when told. */
export class TestClock {
  constructor(private current = new Date('2026-11-02T09:00:00Z')) {}
  now = (): Date => new Date(this.current.getTime());
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestDatabase extends Database {
  ctx: AppContext;
  clock: TestClock;
  /** The database's URL when it lives on a PostgreSQL server (other pools may connect to it). */
  url: string | null;
}

/**
 * A fresh, migrated database for one test file: PGlite by default, or a clone of the template
 * on the PostgreSQL server named by MATTERFLOW_TEST_DATABASE_URL.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.MATTERFLOW_TEST_DATABASE_URL;
  let database: Database;
  let databaseUrl: string | null = null;
  if (serverUrl) {
    const name = `matterflow_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    const opened = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 5 });
    database = {
      ...opened,
      close: async () => {
        await opened.close();
        const dropper = new pg.Client({ connectionString: serverUrl });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  } else {
    const dump = await readFile(inject('pgliteDump'));
    database = await openPgliteFromDump(new Blob([dump]));
  }
  const clock = new TestClock();
  return { ...database, clock, url: databaseUrl, ctx: { db: database.db, now: clock.now } };
}

/** True when the suite runs against a PostgreSQL server (tests of real concurrency need one). */
export const onPostgresServer = Boolean(process.env.MATTERFLOW_TEST_DATABASE_URL);
