import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgresServer, openTestDatabase, type TestDatabase } from '../../test/database.js';
import { buildUser } from '../../test/factories.js';
import { RecordingChannels, testNotificationSettings } from '../../test/notifications.js';
import type { OutgoingMessage } from './channels/channel.js';
import { dispatchDue } from './dispatcher.js';
import { SAMPLE_PAYLOADS } from '../../domain/notifications/samples.js';

// Real concurrency needs real connections: PGlite runs one statement at a time.
describe.skipIf(!onPostgresServer)('two dispatchers on PostgreSQL', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
    t.ctx.notifications = await testNotificationSettings();
  });
  afterAll(async () => {
    await t.close();
  });

  it('deliver each message exactly once between them', async () => {
    const user = await buildUser(t.db, { roles: ['legal_ops'] });
    const total = 400;
    await t.db
      .insertInto('notification_outbox')
      .values(
        Array.from({ length: total }, (_, i) => ({
          idempotency_key: `load:${i}:${user.id}:email`,
          kind: 'draft_ready',
          recipient_user_id: user.id,
          channel: 'email',
          payload: JSON.stringify(SAMPLE_PAYLOADS.draft_ready),
          due_at: t.clock.now(),
        })),
      )
      .execute();

    /** A dispatcher whose sends take a moment, so the two interleave. */
    const dispatcher = () => {
      const channels = new RecordingChannels();
      const slowEmail = channels.email;
      channels.email = async (message: OutgoingMessage) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        await slowEmail(message);
      };
      const run = async () => {
        for (;;) {
          const round = await dispatchDue(t.ctx, channels, { batchSize: 20 });
          if (round.claimed === 0) return channels;
        }
      };
      return run();
    };
    const [a, b] = await Promise.all([dispatcher(), dispatcher()]);

    const keysA = a.emails.map((m) => m.idempotencyKey);
    const keysB = b.emails.map((m) => m.idempotencyKey);
    expect(keysA.length).toBeGreaterThan(0);
    expect(keysB.length).toBeGreaterThan(0);
    expect(keysA.length + keysB.length).toBe(total);
    expect(new Set([...keysA, ...keysB]).size).toBe(total);
    const states = await t.db
      .selectFrom('notification_outbox')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute();
    expect(states.map((s) => [s.state, Number(s.n)])).toEqual([['delivered', total]]);
  });
});
