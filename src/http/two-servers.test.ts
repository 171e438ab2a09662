/**
 * Two Matterflow servers on one PostgreSQL database, each with its own connection pool and save
 * lane, as two processes behind a load balancer would run: a session from one is valid on the
 * other, saves on both judge one day together, two bill runs for one period create each draft
 * once, two notification workers beside them deliver each message once, and the audit chain
 * stays one chain.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { openDatabase } from '../db/database.js';
import { verifyAuditChain } from '../modules/audit/audit-verify.js';
import { createApiToken } from '../modules/auth/auth.service.js';
import { enqueueNotification } from '../modules/notifications/enqueue.js';
import { runScheduler } from '../modules/notifications/scheduler.js';
import { startNotificationWorker } from '../modules/notifications/worker.js';
import { SAMPLE_PAYLOADS } from '../domain/notifications/samples.js';
import { RecordingChannels, testNotificationSettings } from '../test/notifications.js';
import type { TestDatabase } from '../test/database.js';
import { onPostgresServer, openTestDatabase } from '../test/database.js';
import {
  buildActiveGuideline,
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimekeeper,
  buildUser,
  TEST_PASSWORD,
} from '../test/factories.js';
import { buildApp } from './app.js';

let t: TestDatabase;
let second: Database;
const servers: { app: FastifyInstance; url: string }[] = [];
let authorization: string;
let email: string;

describe.runIf(onPostgresServer)('two servers on one database', () => {
  beforeAll(async () => {
    t = await openTestDatabase();
    second = await openDatabase({ kind: 'postgres', url: t.url!, poolSize: 5 });
    for (const db of [t.db, second.db]) {
      const app = await buildApp({ ctx: { db, now: t.clock.now } });
      servers.push({ app, url: await app.listen({ host: '127.0.0.1', port: 0 }) });
    }
    const user = await buildUser(t.db, { roles: ['billing_coordinator'] });
    email = user.email;
    const actor = {
      userId: String(user.id),
      email: user.email,
      roles: ['billing_coordinator'] as const,
      timekeeperId: null,
      via: 'session' as const,
    };
    const token = await createApiToken(t.ctx, actor, {
      name: 'two servers',
      scopes: ['read', 'write'],
      expiresAt: null,
    });
    authorization = `Bearer ${token.token}`;
  });
  afterAll(async () => {
    for (const server of servers) await server.app.close();
    await second?.close();
    await t?.close();
  });

  const call = (server: number, method: string, path: string, body?: object) =>
    fetch(`${servers[server]!.url}/api/v1${path}`, {
      method,
      headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('accepts a session signed in on one server on the other', async () => {
    const signIn = await fetch(`${servers[0]!.url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: TEST_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const me = await fetch(`${servers[1]!.url}/api/v1/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await me.json()) as object).toMatchObject({ email });
  });

  it('judges one day together when its entries are saved on both servers at once', async () => {
    const client = await buildClient(t.db, { client_code: 'TWO' });
    await buildActiveGuideline(
      t.db,
      `
id: two-ocg
client: TWO
name: Two-server guidelines
effective_from: 2026-01-01
rules:
  - { id: daily, kind: max_daily_hours, params: { hours: 8 }, severity: warn, owner: responsible_attorney }
`,
      client.id,
    );
    await buildMatter(t.db, { client_id: client.id, matter_code: 'TWO-1' });
    await buildTimekeeper(t.db, { timekeeper_code: 'TWO-TK' });
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2, 'POST', '/time-entries', {
          entry_id: `TWO-${i}`,
          matter_code: 'TWO-1',
          timekeeper_code: 'TWO-TK',
          work_date: '2026-10-07',
          hours: '0.5',
          narrative: `Review and annotate production volume ${i} for privilege`,
          task_code: 'L320',
          activity_code: 'A104',
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    // 10 hours in the day: whichever server saved an entry, every entry carries the finding.
    const open = await t.db
      .selectFrom('guideline_exception')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .where('rule_id', '=', 'daily')
      .where('state', '=', 'open')
      .executeTakeFirstOrThrow();
    expect(Number(open.n)).toBe(20);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('creates each draft once when both servers run the same bill run at the same moment', async () => {
    const client = await buildClient(t.db, { client_code: 'RUN' });
    const keeper = await buildTimekeeper(t.db, { timekeeper_code: 'RUN-TK' });
    await buildRate(t.db, { timekeeper_id: keeper.id });
    const matters = [];
    for (let i = 0; i < 6; i++) {
      const matter = await buildMatter(t.db, { client_id: client.id, matter_code: `RUN-${i}` });
      matters.push(matter);
      await buildReleasedEntry(t.db, {
        matter_id: matter.id,
        timekeeper_id: keeper.id,
        work_date: '2026-09-10',
      });
    }
    const runs = await Promise.all(
      [0, 1, 0, 1].map((server) =>
        call(server, 'POST', '/bill-runs', { period: '2026-09', client_code: 'RUN' }),
      ),
    );
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const invoices = await t.db
      .selectFrom('invoice')
      .select(['matter_id'])
      .where('client_id', '=', client.id)
      .execute();
    expect(invoices.map((i) => i.matter_id).sort()).toEqual(matters.map((m) => m.id).sort());
    const lines = await t.db
      .selectFrom('invoice_line as l')
      .innerJoin('invoice as i', 'i.id', 'l.invoice_id')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .where('i.client_id', '=', client.id)
      .executeTakeFirstOrThrow();
    expect(Number(lines.n)).toBe(6);
    expect((await verifyAuditChain(second.db)).ok).toBe(true);
  });

  it('lets two workers beside the servers deliver each queued message exactly once', async () => {
    const settings = await testNotificationSettings();
    const users = [];
    for (let i = 0; i < 10; i++) users.push(await buildUser(t.db, { roles: ['legal_ops'] }));
    const now = t.clock.now();
    // Each server queues half the messages, as its own requests would.
    const queued = await Promise.all(
      users.flatMap((user, i) =>
        Array.from({ length: 15 }, (_, n) =>
          enqueueNotification([t.db, second.db][i % 2]!, settings, now, {
            key: `two-workers:${user.id}:${n}`,
            recipients: [user.id],
            matterId: null,
            dueAt: now,
            payload: SAMPLE_PAYLOADS.draft_ready,
          }),
        ),
      ),
    );
    expect(queued.reduce((a, b) => a + b, 0)).toBe(150);
    const rows = await t.db
      .selectFrom('notification_outbox')
      .select(['id', 'idempotency_key', 'channel'])
      .where('idempotency_key', 'like', 'two-workers:%')
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(150);

    const workers = [t.db, second.db].map((db) => {
      const channels = new RecordingChannels();
      const errors: unknown[] = [];
      const worker = startNotificationWorker(
        { db, now: t.clock.now, notifications: settings },
        channels,
        {
          batchSize: 7,
          idleMs: 20,
          scheduleEveryMs: 1,
          schedule: runScheduler,
          onError: (error) => errors.push(error),
        },
      );
      return { channels, errors, worker };
    });
    const pending = async () =>
      Number(
        (
          await t.db
            .selectFrom('notification_outbox')
            .select(({ fn }) => fn.countAll<string>().as('n'))
            .where('idempotency_key', 'like', 'two-workers:%')
            .where('state', '!=', 'delivered')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const deadline = Date.now() + 60_000;
    while ((await pending()) > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    for (const { worker } of workers) await worker.stop();

    expect(await pending()).toBe(0);
    expect(workers.flatMap((w) => w.errors)).toEqual([]);
    const sent = workers.flatMap((w) =>
      w.channels.emails.filter((m) => m.idempotencyKey.startsWith('two-workers:')),
    );
    const emailRows = rows.filter((r) => r.channel === 'email');
    expect(sent.length).toBe(emailRows.length);
    expect(new Set(sent.map((m) => m.idempotencyKey)).size).toBe(emailRows.length);
    const attempts = await t.db
      .selectFrom('notification_outbox')
      .select(['attempts'])
      .where('idempotency_key', 'like', 'two-workers:%')
      .execute();
    expect(attempts.every((a) => Number(a.attempts) === 1)).toBe(true);
  });
});
