import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import {
  buildActiveGuideline,
  buildClient,
  buildMatter,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';
import { RecordingChannels, testNotificationSettings } from '../../test/notifications.js';
import { dispatchDue } from './dispatcher.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;

beforeAll(async () => {
  t = await openTestDatabase();
  t.ctx.notifications = await testNotificationSettings({ exceptionWindowMinutes: 15 });
  app = await buildApp({ ctx: t.ctx });
  coordinator = await signIn(
    app,
    (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
  );
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const RULES = `
id: acme-ocg
client: ACME
name: ACME billing guidelines
effective_from: 2026-01-01
rules:
  - { id: entry-cap, kind: max_entry_hours, params: { hours: 4 }, severity: block, owner: timekeeper, message: "OCG 5.2" }
`;

function entry(matter: string, keeper: string, hours: string, workDate: string) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/time-entries',
    headers: { cookie: coordinator },
    payload: {
      matter_code: matter,
      timekeeper_code: keeper,
      work_date: workDate,
      hours,
      narrative: 'Review of privileged memo for settlement strategy',
      task_code: 'L250',
      activity_code: 'A103',
    },
  });
}

describe('exception alerts', () => {
  it('gathers the new exceptions of one owner into one message per window, due when it closes', async () => {
    const client = await buildClient(t.db, { client_code: 'ACME' });
    await buildActiveGuideline(t.db, RULES, client.id);
    const matter = await buildMatter(t.db, { client_id: client.id, matter_code: 'ACME-1' });
    const keeper = await buildTimekeeper(t.db, { timekeeper_code: 'ACME-TK' });
    const owner = await buildUser(t.db, { roles: ['timekeeper'], timekeeper_id: keeper.id });

    t.clock.set('2026-11-02T09:01:00Z');
    expect((await entry('ACME-1', 'ACME-TK', '5.00', '2026-10-05')).statusCode).toBe(201);
    t.clock.set('2026-11-02T09:10:00Z');
    expect((await entry('ACME-1', 'ACME-TK', '6.00', '2026-10-06')).statusCode).toBe(201);
    // The next window has its own message.
    t.clock.set('2026-11-02T09:16:00Z');
    expect((await entry('ACME-1', 'ACME-TK', '7.00', '2026-10-07')).statusCode).toBe(201);

    const rows = await t.db
      .selectFrom('notification_outbox')
      .select(['idempotency_key', 'channel', 'due_at', 'payload', 'matter_id'])
      .where('kind', '=', 'exception_alert')
      .where('recipient_user_id', '=', owner.id)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.idempotency_key, r.due_at.toISOString()])).toEqual([
      [`exception_alert:2026-11-02T09:00:00.000Z:${owner.id}:in_app`, '2026-11-02T09:15:00.000Z'],
      [`exception_alert:2026-11-02T09:00:00.000Z:${owner.id}:email`, '2026-11-02T09:15:00.000Z'],
      [`exception_alert:2026-11-02T09:15:00.000Z:${owner.id}:in_app`, '2026-11-02T09:30:00.000Z'],
      [`exception_alert:2026-11-02T09:15:00.000Z:${owner.id}:email`, '2026-11-02T09:30:00.000Z'],
    ]);
    const items = (rows[0]!.payload as { items: { ruleId: string; entity: string }[] }).items;
    expect(items.map((i) => i.ruleId)).toEqual(['entry-cap', 'entry-cap']);
    expect(matter.id).toBeGreaterThan(0);

    // Nothing goes out before the window closes; then one email lists both.
    const channels = new RecordingChannels();
    t.clock.set('2026-11-02T09:14:59Z');
    expect((await dispatchDue(t.ctx, channels)).claimed).toBe(0);
    t.clock.set('2026-11-02T09:15:00Z');
    await dispatchDue(t.ctx, channels);
    expect(channels.emails).toHaveLength(1);
    expect(channels.emails[0]!.rendered.subject).toBe('2 new guideline exceptions to resolve');
    expect(channels.emails[0]!.rendered.link).toBe(
      'https://matterflow.firm.test/exceptions?owner=me&state=open',
    );
    // Minimal email: finding messages stay in the app.
    expect(channels.emails[0]!.rendered.text).not.toContain('OCG 5.2');
  });
});

describe('exception alerts and field-level rules', () => {
  it('tells an owner who may not see rates what is wrong without the figures', async () => {
    const client = await buildClient(t.db, { client_code: 'CAPCO' });
    await buildActiveGuideline(
      t.db,
      `
id: capco-ocg
client: CAPCO
name: CAPCO billing guidelines
effective_from: 2026-01-01
rules:
  - { id: cap, kind: rate_cap, params: { max_rate: 500.00 }, severity: block, owner: timekeeper }
`,
      client.id,
    );
    await buildMatter(t.db, { client_id: client.id, matter_code: 'CAPCO-1' });
    const keeper = await buildTimekeeper(t.db, {
      timekeeper_code: 'CAPCO-TK',
      standard_rate_cents: 61737,
    });
    const owner = await buildUser(t.db, { roles: ['timekeeper'], timekeeper_id: keeper.id });

    t.clock.set('2026-11-03T09:01:00Z');
    // A day later: a fresh session.
    coordinator = await signIn(
      app,
      (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
    );
    expect((await entry('CAPCO-1', 'CAPCO-TK', '1.00', '2026-10-05')).statusCode).toBe(201);
    const stored = await t.db
      .selectFrom('guideline_exception')
      .select('message')
      .where('rule_id', '=', 'cap')
      .executeTakeFirstOrThrow();
    // The billing team's record keeps the figures.
    expect(stored.message).toContain('617.37');
    const [alert] = await t.db
      .selectFrom('notification_outbox')
      .select('payload')
      .where('kind', '=', 'exception_alert')
      .where('recipient_user_id', '=', owner.id)
      .execute();
    expect(JSON.stringify(alert!.payload)).not.toContain('617.37');
    expect(JSON.stringify(alert!.payload)).toContain(
      "above the client's cap for the timekeeper's classification",
    );
  });
});
