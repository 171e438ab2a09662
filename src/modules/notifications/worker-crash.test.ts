import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_PAYLOADS } from '../../domain/notifications/samples.js';
import { onPostgresServer, openTestDatabase, type TestDatabase } from '../../test/database.js';
import { buildUser } from '../../test/factories.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'bin', 'matterflow.js');
const MESSAGES = 300;
const KILLS = 12;

/** A seeded generator, so a failing run can be repeated with the same kill points. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

// Kills a real worker process (SIGKILL) at random points while it delivers webhooks, many times,
// then lets one finish: every message arrives, and the receiver sees each key at least once.
describe.skipIf(!onPostgresServer)('the worker killed mid-dispatch', () => {
  let t: TestDatabase;
  let receiver: Server;
  const received = new Map<string, number>();
  let calls = 0;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'cli', 'entry.js')))
      throw new Error('the worker runs from dist/: run `npm run build` first');
    t = await openTestDatabase();
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const key = String(request.headers['x-matterflow-idempotency-key']);
        // A little latency widens the window between sending and recording.
        setTimeout(() => {
          received.set(key, (received.get(key) ?? 0) + 1);
          calls++;
          response.end('ok');
        }, Math.random() * 5);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await t.close();
  });

  function startWorker(): ChildProcess {
    if (t.target.kind !== 'postgres') throw new Error('needs PostgreSQL');
    return spawn(
      process.execPath,
      [
        CLI,
        '--database-url',
        t.target.url,
        'worker',
        '--no-schedule',
        '--batch',
        '10',
        '--idle-ms',
        '50',
        '--lease-ms',
        '1500',
      ],
      {
        stdio: 'ignore',
        env: { ...process.env, MATTERFLOW_BASE_URL: 'https://matterflow.firm.test' },
      },
    );
  }

  async function delivered(): Promise<number> {
    const row = await t.db
      .selectFrom('notification_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'delivered')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it(
    'delivers every message, none lost, duplicates only as retries of the same key',
    { timeout: 240_000 },
    async () => {
      const user = await buildUser(t.db, { roles: ['legal_ops'] });
      const port = (receiver.address() as AddressInfo).port;
      const subscription = await t.db
        .insertInto('webhook_subscription')
        .values({ user_id: user.id, url: `http://127.0.0.1:${port}/hook`, secret: 's3cret' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const keys = Array.from(
        { length: MESSAGES },
        (_, i) => `crash:${i}:${user.id}:webhook:${subscription.id}`,
      );
      await t.db
        .insertInto('notification_outbox')
        .values(
          keys.map((key) => ({
            idempotency_key: key,
            kind: 'draft_ready',
            recipient_user_id: user.id,
            channel: 'webhook',
            webhook_subscription_id: subscription.id,
            payload: JSON.stringify(SAMPLE_PAYLOADS.draft_ready),
            due_at: new Date(Date.now() - 1000),
          })),
        )
        .execute();

      const next = random(20261127);
      let kills = 0;
      for (; kills < KILLS && (await delivered()) < MESSAGES; kills++) {
        const worker = startWorker();
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        // Wait until this worker is delivering (start-up time varies with load), then kill it
        // at a random point of the dispatch that follows.
        const seen = calls;
        const waitUntil = Date.now() + 30_000;
        while (calls === seen && Date.now() < waitUntil)
          await new Promise((resolve) => setTimeout(resolve, 10));
        await new Promise((resolve) => setTimeout(resolve, next() * 150));
        worker.kill('SIGKILL');
        await exited;
      }
      const deliveredWhileKilling = await delivered();
      const finisher = startWorker();
      const finished = new Promise((resolve) => finisher.once('exit', resolve));
      const deadline = Date.now() + 120_000;
      while ((await delivered()) < MESSAGES && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 200));
      finisher.kill('SIGTERM');
      await finished;

      expect(kills).toBeGreaterThan(3);
      expect(deliveredWhileKilling).toBeGreaterThan(0);
      expect(await delivered()).toBe(MESSAGES);
      expect([...received.keys()].sort()).toEqual([...keys].sort());
      const duplicates = [...received.values()].reduce((sum, n) => sum + n - 1, 0);
      // At least once: a kill between sending and recording resends that claim's messages, never more.
      expect(duplicates).toBeLessThanOrEqual(kills * 10);
      process.stdout.write(
        `worker crash test: ${MESSAGES} messages, ${kills} kills (${deliveredWhileKilling} recorded delivered meanwhile), ${duplicates} redelivered duplicates (deduplicated by key)\n`,
      );
    },
  );
});
