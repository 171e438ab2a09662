import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import type { AppContext } from '../config/context.js';
import type { Database } from '../db/database.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { SYSTEM_ACTOR } from '../domain/policy.js';
import {
  IMPORT_COLUMNS,
  importCsv,
  importRecords,
} from '../modules/import-export/import.service.js';

const ENTRIES = 100_000;
const CLIENTS = 5;
const MATTERS = 50;
const TIMEKEEPERS = 40;
const TASKS = ['L110', 'L120', 'L210', 'L240', 'L310', 'L330', ''];
const ACTIVITIES = ['A101', 'A103', 'A104', 'A106', 'A107', ''];
const WORDS =
  'review draft revise analyze prepare correspondence motion discovery deposition outline witness client call research memo brief exhibits production'.split(
    ' ',
  );

/** A small deterministic generator, so every run imports the same file. */
function generator(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % n;
  };
}

const tk = (i: number) => `TK${String(i).padStart(3, '0')}`;
const matter = (i: number) => `2026-${String(i).padStart(4, '0')}`;

/** Loads the clients, timekeepers and matters the generated time entries refer to. */
export async function loadReferences(ctx: AppContext): Promise<void> {
  await importRecords(
    ctx,
    SYSTEM_ACTOR,
    'clients',
    Array.from({ length: CLIENTS }, (_, i) => ({
      client_code: `CL${i}`,
      name: `Client ${i}`,
      currency: 'USD',
      ebilling_format: 'LEDES1998B',
      ebilling_client_id: '',
      law_firm_id: '',
    })),
  );
  await importRecords(
    ctx,
    SYSTEM_ACTOR,
    'timekeepers',
    Array.from({ length: TIMEKEEPERS }, (_, i) => ({
      timekeeper_code: tk(i),
      first_name: 'Bench',
      last_name: `Keeper ${i}`,
      classification: i < 8 ? 'PT' : 'AS',
      email: '',
      standard_rate: String(300 + i * 10),
      currency: 'USD',
      practice_group: 'Litigation',
    })),
  );
  await importRecords(
    ctx,
    SYSTEM_ACTOR,
    'matters',
    Array.from({ length: MATTERS }, (_, i) => ({
      matter_code: matter(i),
      client_code: `CL${i % CLIENTS}`,
      client_matter_id: '',
      name: `Matter ${i}`,
      practice_area: 'Litigation',
      jurisdiction: 'NY',
      office: 'New York',
      fee_arrangement: 'hourly',
      fee_amount: '',
      responsible_attorney: tk(i % 8),
      billing_partner: tk(i % 8),
      billing_coordinator: '',
      budget: '',
      status: 'open',
      opened_on: '2026-01-02',
      closed_on: '',
      restricted: 'no',
    })),
  );
}

/** Writes the time-entries CSV and returns its path. */
export async function writeEntries(dir: string): Promise<string> {
  const path = join(dir, 'time-entries.csv');
  const out = createWriteStream(path);
  const next = generator(20_261_127);
  out.write(`${IMPORT_COLUMNS['time-entries'].join(',')}\n`);
  let batch = '';
  for (let i = 0; i < ENTRIES; i++) {
    const words = Array.from({ length: 4 + next(10) }, () => WORDS[next(WORDS.length)]).join(' ');
    const day = String(1 + next(28)).padStart(2, '0');
    const month = String(1 + next(10)).padStart(2, '0');
    const hours = `${next(8)}.${String(10 + next(90))}`;
    batch += `E${String(i).padStart(7, '0')},${matter(next(MATTERS))},${tk(next(TIMEKEEPERS))},2026-${month}-${day},${hours},"${words}",${TASKS[next(TASKS.length)]},${ACTIVITIES[next(ACTIVITIES.length)]},${next(10) === 0 ? 'no' : 'yes'}\n`;
    if (batch.length > 64_000) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await finished(out);
  return path;
}

async function timeImport(ctx: AppContext, file: string) {
  const started = process.hrtime.bigint();
  const summary = await importCsv(ctx, SYSTEM_ACTOR, 'time-entries', createReadStream(file));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { summary, seconds, rate: Math.round(summary.rows / seconds) };
}

async function measure(label: string, database: Database, file: string): Promise<void> {
  const ctx: AppContext = { db: database.db, now: () => new Date() };
  await migrateToLatest(database.db);
  await loadReferences(ctx);
  const first = await timeImport(ctx, file);
  if (first.summary.inserted !== ENTRIES)
    throw new Error(`expected ${ENTRIES} inserted, got ${JSON.stringify(first.summary)}`);
  const again = await timeImport(ctx, file);
  if (again.summary.unchanged !== ENTRIES)
    throw new Error(`expected ${ENTRIES} unchanged, got ${JSON.stringify(again.summary)}`);
  const fmt = (n: number) => n.toLocaleString('en-US');
  process.stdout.write(
    `${label.padEnd(12)} import ${fmt(ENTRIES)} rows: ${first.seconds.toFixed(2)} s, ${fmt(first.rate)} rows/s; ` +
      `re-import (all unchanged): ${again.seconds.toFixed(2)} s, ${fmt(again.rate)} rows/s\n`,
  );
}

/** Times importing 100,000 generated time entries into PGlite and, when configured, PostgreSQL. */
export async function runImportBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'matterflow-bench-'));
  try {
    const file = await writeEntries(dir);
    process.stdout.write(
      `time-entries CSV: ${ENTRIES.toLocaleString('en-US')} rows, ${((await stat(file)).size / 1e6).toFixed(1)} MB, ${MATTERS} matters, ${TIMEKEEPERS} timekeepers\n`,
    );
    const pglite = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') });
    try {
      await measure('PGlite', pglite, file);
    } finally {
      await pglite.close();
    }
    await measurePostgres(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function measurePostgres(file: string): Promise<void> {
  const serverUrl = process.env.MATTERFLOW_BENCH_DATABASE_URL;
  if (!serverUrl) {
    process.stdout.write('PostgreSQL   skipped: set MATTERFLOW_BENCH_DATABASE_URL\n');
    return;
  }
  // A fresh database per run, so the numbers never depend on what an earlier run left behind.
  const name = `matterflow_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 });
    try {
      await measure('PostgreSQL', database, file);
    } finally {
      await database.close();
    }
  } finally {
    // The pool's connections close asynchronously after it ends; forcing the drop while one is
    // still closing makes the server kill it, which the closed pool reports as a crash.
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
