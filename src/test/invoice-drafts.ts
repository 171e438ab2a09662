import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { TestDatabase } from './database.js';
import {
  addMatterMember,
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from './factories.js';

/** An API caller bound to one app. */
export function caller(app: FastifyInstance) {
  return (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    url: string,
    cookie: string,
    payload?: object,
  ) => app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
}

/**
 * A matter with one timekeeper (rate 400.00, a linked timekeeper user) and released entries in
 * October 2026, billed into a draft by a bill run as `coordinator`.
 */
export async function billedDraft(
  t: TestDatabase,
  app: FastifyInstance,
  coordinator: string,
  options: {
    entries?: { hours: string; work_date?: string }[];
    restricted?: boolean;
    /** A user put inside the wall of a restricted matter before the bill run. */
    member?: number;
  } = {},
) {
  const call = caller(app);
  const client = await buildClient(t.db);
  const attorney = await buildTimekeeper(t.db, { classification: 'PT' });
  const approverUser = await buildUser(t.db, { roles: ['approver'], timekeeper_id: attorney.id });
  const matter = await buildMatter(t.db, {
    client_id: client.id,
    responsible_attorney_id: attorney.id,
    client_matter_id: 'CLM-1',
    restricted: options.restricted ?? false,
  });
  if (options.member !== undefined) await addMatterMember(t.db, matter.id, options.member);
  const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
  const timekeeperUser = await buildUser(t.db, {
    roles: ['timekeeper'],
    timekeeper_id: timekeeper.id,
  });
  await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
  const entries = [];
  for (const e of options.entries ?? [{ hours: '1.50' }])
    entries.push(
      await buildReleasedEntry(t.db, {
        matter_id: matter.id,
        timekeeper_id: timekeeper.id,
        hours: e.hours,
        work_date: e.work_date ?? '2026-10-15',
      }),
    );
  const run = await call('POST', '/bill-runs', coordinator, {
    period: '2026-10',
    matter_code: matter.matter_code,
  });
  expect(run.statusCode).toBe(200);
  const id: number = run.json().invoices[0].id;
  return {
    id,
    client,
    matter,
    attorney,
    timekeeper,
    entries,
    approverUser,
    timekeeperUser,
    approver: await signIn(app, approverUser.email),
    timekeeperCookie: await signIn(app, timekeeperUser.email),
  };
}
