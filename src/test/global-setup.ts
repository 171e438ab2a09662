import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { PGliteDialect } from '../db/pglite-driver.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
    postgresTemplate: string;
  }
}

export const TEMPLATE_DATABASE = 'matterflow_test_template';

/**
 * Prepares one migrated database for the whole run: a PGlite data-directory dump that each test
 * file loads (skipping initdb and migrations), or, when MATTERFLOW_TEST_DATABASE_URL names a
 * PostgreSQL server, a template database each test file clones.
 */
export default async function setup(project: TestProject): Promise<void> {
  const serverUrl = process.env.MATTERFLOW_TEST_DATABASE_URL;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await admin.query(`create database ${TEMPLATE_DATABASE}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${TEMPLATE_DATABASE}`;
    const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 1 });
    await migrateToLatest(database.db);
    await database.close();
    project.provide('postgresTemplate', TEMPLATE_DATABASE);
    project.provide('pgliteDump', '');
    return;
  }
  const pglite = await PGlite.create();
  const db = new Kysely<any>({ dialect: new PGliteDialect(pglite) });
  await migrateToLatest(db);
  const dump = await pglite.dumpDataDir('none');
  const path = join(tmpdir(), `matterflow-test-${process.pid}.tar`);
  await writeFile(path, Buffer.from(await dump.arrayBuffer()));
  await db.destroy();
  project.provide('pgliteDump', path);
  project.provide('postgresTemplate', '');
}
