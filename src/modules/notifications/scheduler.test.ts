import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import {
  addMatterMember,
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimeEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';
import { RecordingChannels, testNotificationSettings } from '../../test/notifications.js';
import { dispatchDue } from './dispatcher.js';
import { runScheduler } from './scheduler.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;

beforeAll(async () => {
  t = await openTestDatabase();
  // Fridays at 14:00 in New York (19:00 UTC in November); digests daily at 07:00 (12:00 UTC).
  t.ctx.notifications = await testNotificationSettings({
    timeZone: 'America/New_York',
    reminderDay: 5,
    reminderHour: 14,
    digestHour: 7,
  });
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

function call(method: 'GET' | 'POST', url: string, cookie: string, payload?: object) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
}

function rowsOf(kind: string, userId?: number) {
  let q = t.db
    .selectFrom('notification_outbox')
    .select(['idempotency_key', 'channel', 'recipient_user_id', 'payload'])
    .where('kind', '=', kind)
    .orderBy('id');
  if (userId !== undefined) q = q.where('recipient_user_id', '=', userId);
  return q.execute();
}

describe('weekly time-entry reminders', () => {
  it('sends nothing before the firm’s Friday 14:00, then exactly one per timekeeper with open work', async () => {
    const timekeeper = await buildTimekeeper(t.db);
    const user = await buildUser(t.db, { roles: ['timekeeper'], timekeeper_id: timekeeper.id });
    const idle = await buildUser(t.db, {
      roles: ['timekeeper'],
      timekeeper_id: (await buildTimekeeper(t.db)).id,
    });
    const matter = await buildMatter(t.db);
    const walled = await buildMatter(t.db, { restricted: true });
    await buildTimeEntry(t.db, {
      matter_id: matter.id,
      timekeeper_id: timekeeper.id,
      narrative: 'Confidential strategy call with client',
    });
    await buildTimeEntry(t.db, { matter_id: walled.id, timekeeper_id: timekeeper.id });

    t.clock.set('2026-11-06T18:59:00Z');
    await runScheduler(t.ctx);
    expect(await rowsOf('time_entry_reminder')).toEqual([]);

    t.clock.set('2026-11-06T19:00:00Z');
    await Promise.all([runScheduler(t.ctx), runScheduler(t.ctx)]);
    const rows = await rowsOf('time_entry_reminder');
    expect(rows.map((r) => [r.idempotency_key, r.recipient_user_id])).toEqual([
      [`time_entry_reminder:2026-W45:${user.id}:in_app`, user.id],
      [`time_entry_reminder:2026-W45:${user.id}:email`, user.id],
    ]);
    expect(rows.some((r) => r.recipient_user_id === idle.id)).toBe(false);
    // The walled matter's entry is not listed to a timekeeper outside the wall.
    expect((rows[0]!.payload as { unreleased: unknown[] }).unreleased).toHaveLength(1);

    t.clock.advance(86_400_000);
    await runScheduler(t.ctx);
    expect(await rowsOf('time_entry_reminder')).toHaveLength(2);

    const channels = new RecordingChannels();
    await dispatchDue(t.ctx, channels);
    const [email] = channels.emails.filter((m) => m.kind === 'time_entry_reminder');
    expect(email!.rendered.subject).toBe(
      'Weekly time reminder (2026-W45): 1 unreleased entry, 0 open findings',
    );
    expect(email!.rendered.text).not.toContain('Confidential strategy call');
    const inbox = await t.db
      .selectFrom('inbox_message')
      .select(['body'])
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(inbox.body).toContain('Confidential strategy call');

    // The next week's reminder is its own.
    t.clock.set('2026-11-13T19:00:00Z');
    await runScheduler(t.ctx);
    expect((await rowsOf('time_entry_reminder', user.id)).map((r) => r.idempotency_key)).toContain(
      `time_entry_reminder:2026-W46:${user.id}:in_app`,
    );
  });
});

describe('SLA escalations', () => {
  it('escalates an invoice past its approval SLA once, to the billing partner, and marks it urgent', async () => {
    t.clock.set('2026-11-16T09:00:00Z'); // a Monday
    // Sessions expire by the clock: sign in again at the new time.
    coordinator = await signIn(
      app,
      (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
    );
    const client = await buildClient(t.db);
    const attorney = await buildTimekeeper(t.db, { classification: 'PT' });
    const partner = await buildTimekeeper(t.db, { classification: 'PT' });
    await buildUser(t.db, { roles: ['approver'], timekeeper_id: attorney.id });
    const partnerUser = await buildUser(t.db, { roles: ['approver'], timekeeper_id: partner.id });
    const matter = await buildMatter(t.db, {
      client_id: client.id,
      responsible_attorney_id: attorney.id,
      billing_partner_id: partner.id,
      client_matter_id: 'CLM-9',
    });
    const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
    await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
    await buildReleasedEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
    const run = await call('POST', '/bill-runs', coordinator, {
      period: '2026-10',
      matter_code: matter.matter_code,
    });
    expect(run.json().invoices, run.body).toHaveLength(1);
    const id: number = run.json().invoices[0].id;
    for (const to of ['in_review', 'ready_for_approval']) {
      const { version } = (await call('GET', `/invoices/${id}`, coordinator)).json();
      expect(
        (await call('POST', `/invoices/${id}/transitions`, coordinator, { to, version }))
          .statusCode,
      ).toBe(200);
    }

    // Three business days: due Thursday 09:00 UTC; on time until then.
    t.clock.set('2026-11-19T09:00:00Z');
    await runScheduler(t.ctx);
    expect(await rowsOf('deadline_escalation')).toEqual([]);

    t.clock.set('2026-11-19T09:01:00Z');
    await Promise.all([runScheduler(t.ctx), runScheduler(t.ctx)]);
    t.clock.advance(3_600_000);
    await runScheduler(t.ctx);
    const rows = await rowsOf('deadline_escalation');
    expect(rows.map((r) => [r.recipient_user_id, r.channel])).toEqual([
      [partnerUser.id, 'in_app'],
      [partnerUser.id, 'email'],
    ]);
    const invoice = await t.db
      .selectFrom('invoice')
      .select(['urgent'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(invoice.urgent).toBe(true);
    const breaches = await t.db.selectFrom('invoice_sla_breach').selectAll().execute();
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({ invoice_id: id, state: 'ready_for_approval' });
    const audit = await t.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'invoice.escalate')
      .execute();
    expect(audit).toHaveLength(1);
  });
});

describe('manager digests', () => {
  it('sends legal ops one digest a day, leaving out walled matters they are not inside', async () => {
    const legalOps = await buildUser(t.db, { roles: ['legal_ops'] });
    const walled = await buildMatter(t.db, { restricted: true });
    await addMatterMember(t.db, walled.id, (await buildUser(t.db)).id);

    t.clock.set('2026-11-20T11:59:00Z');
    await runScheduler(t.ctx);
    const before = await rowsOf('manager_digest', legalOps.id);
    expect(before.map((r) => r.idempotency_key)).toEqual([
      `manager_digest:2026-11-19:${legalOps.id}:in_app`,
      `manager_digest:2026-11-19:${legalOps.id}:email`,
    ]);
    t.clock.set('2026-11-20T12:00:00Z');
    await runScheduler(t.ctx);
    await runScheduler(t.ctx);
    const rows = await rowsOf('manager_digest', legalOps.id);
    expect(rows.map((r) => r.idempotency_key).slice(2)).toEqual([
      `manager_digest:2026-11-20:${legalOps.id}:in_app`,
      `manager_digest:2026-11-20:${legalOps.id}:email`,
    ]);
    const payload = rows[2]!.payload as { byStage: Record<string, number>; pastSlaCount: number };
    expect(payload.byStage).toEqual({ ready_for_approval: 1 });
    expect(payload.pastSlaCount).toBe(1);
  });
});
