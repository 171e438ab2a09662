import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationSettings } from '../../config/notifications.js';
import { buildApp } from '../../http/app.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import {
  addMatterMember,
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';
import { RecordingChannels, testNotificationSettings } from '../../test/notifications.js';
import { createDeliveryChannels, type DeliveryChannels } from './channels/index.js';
import { dispatchDue } from './dispatcher.js';

let t: TestDatabase;
let app: FastifyInstance;
let settings: NotificationSettings;
let coordinator: string;
let coordinatorId: number;
let admin: string;

beforeAll(async () => {
  t = await openTestDatabase();
  settings = await testNotificationSettings({ maxAttempts: 3 });
  t.ctx.notifications = settings;
  app = await buildApp({ ctx: t.ctx });
  const coordinatorUser = await buildUser(t.db, { roles: ['billing_coordinator'] });
  coordinatorId = coordinatorUser.id;
  coordinator = await signIn(app, coordinatorUser.email);
  admin = await signIn(app, (await buildUser(t.db, { roles: ['admin'] })).email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function call(method: 'GET' | 'POST' | 'PUT', url: string, cookie: string, payload?: object) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
}

async function draftInvoice(matterOverrides: { restricted?: boolean } = {}) {
  const client = await buildClient(t.db);
  const attorney = await buildTimekeeper(t.db, { classification: 'PT' });
  const approverUser = await buildUser(t.db, { roles: ['approver'], timekeeper_id: attorney.id });
  const matter = await buildMatter(t.db, {
    client_id: client.id,
    responsible_attorney_id: attorney.id,
    client_matter_id: 'CLM-1',
    ...matterOverrides,
  });
  if (matterOverrides.restricted) await addMatterMember(t.db, matter.id, coordinatorId);
  const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
  await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
  await buildReleasedEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
  const run = await call('POST', '/bill-runs', coordinator, {
    period: '2026-10',
    matter_code: matter.matter_code,
  });
  expect(run.statusCode).toBe(200);
  return { id: run.json().invoices[0].id as number, matter, approverUser };
}

async function move(id: number, to: string) {
  const { version } = (await call('GET', `/invoices/${id}`, coordinator)).json();
  const response = await call('POST', `/invoices/${id}/transitions`, coordinator, { to, version });
  expect(response.statusCode).toBe(200);
}

function outboxFor(userId: number) {
  return t.db
    .selectFrom('notification_outbox')
    .selectAll()
    .where('recipient_user_id', '=', userId)
    .orderBy('id')
    .execute();
}

async function deliverAll(channels: DeliveryChannels = new RecordingChannels()) {
  for (;;) {
    const round = await dispatchDue(t.ctx, channels);
    if (round.claimed === 0) return channels;
  }
}

describe('the outbox', () => {
  it('queues draft_ready for the approver in the transition, and delivers it to the inbox and by email', async () => {
    const { id, approverUser } = await draftInvoice();
    await move(id, 'in_review');
    await move(id, 'ready_for_approval');

    const rows = await outboxFor(approverUser.id);
    expect(rows.map((r) => [r.kind, r.channel, r.state])).toEqual([
      ['draft_ready', 'in_app', 'pending'],
      ['draft_ready', 'email', 'pending'],
    ]);
    expect(rows[0]!.idempotency_key).toMatch(
      new RegExp(`^draft_ready:invoice:${id}:v\\d+:${approverUser.id}:in_app$`),
    );

    await deliverAll(createDeliveryChannels(settings));
    expect((await outboxFor(approverUser.id)).map((r) => [r.state, r.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
    ]);

    const approver = await signIn(app, approverUser.email);
    const inbox = await call('GET', '/inbox', approver);
    expect(inbox.statusCode).toBe(200);
    expect(inbox.json().unread_count).toBe(1);
    const [message] = inbox.json().items;
    expect(message).toMatchObject({
      kind: 'draft_ready',
      link: `https://matterflow.firm.test/invoices/${id}`,
    });
    expect(message.subject).toContain('ready for approval');
    expect(message.body).toContain('Next: Approve the invoice or request changes');

    const files = await readdir(settings.mailDir);
    const eml = await readFile(
      join(
        settings.mailDir,
        files.find((f) => f.endsWith('-draft_ready.eml'))!,
      ),
      'utf8',
    );
    expect(eml).toContain(`To: ${approverUser.name} <${approverUser.email}>`);
    expect(eml).toContain(`https://matterflow.firm.test/invoices/${id}`);

    // Marking read; another user cannot touch it.
    expect((await call('POST', `/inbox/${message.id}/read`, coordinator)).statusCode).toBe(404);
    expect((await call('POST', `/inbox/${message.id}/read`, approver)).statusCode).toBe(200);
    expect((await call('GET', '/inbox/unread-count', approver)).json()).toEqual({
      unread_count: 0,
    });
    expect((await call('GET', '/inbox', coordinator)).json().items).toEqual([]);
  });

  it('tells nobody about a walled matter who is not a member, nor deactivated or muting users', async () => {
    const walled = await draftInvoice({ restricted: true });
    await move(walled.id, 'in_review');
    await move(walled.id, 'ready_for_approval');
    expect(await outboxFor(walled.approverUser.id)).toEqual([]);

    const member = await draftInvoice({ restricted: true });
    await addMatterMember(t.db, member.matter.id, member.approverUser.id);
    await move(member.id, 'in_review');
    await move(member.id, 'ready_for_approval');
    expect(await outboxFor(member.approverUser.id)).toHaveLength(2);

    const muted = await draftInvoice();
    const mutingApprover = await signIn(app, muted.approverUser.email);
    const mute = await call(
      'PUT',
      `/notification-preferences/mutes/${muted.matter.id}`,
      mutingApprover,
    );
    expect(mute.json().muted_matter_ids).toEqual([muted.matter.id]);
    await move(muted.id, 'in_review');
    await move(muted.id, 'ready_for_approval');
    expect(await outboxFor(muted.approverUser.id)).toEqual([]);

    const gone = await draftInvoice();
    await t.db
      .updateTable('app_user')
      .set({ active: false })
      .where('id', '=', gone.approverUser.id)
      .execute();
    await move(gone.id, 'in_review');
    await move(gone.id, 'ready_for_approval');
    expect(await outboxFor(gone.approverUser.id)).toEqual([]);
  });

  it('sends only on the channels a user chose', async () => {
    const { id, approverUser } = await draftInvoice();
    const approver = await signIn(app, approverUser.email);
    const set = await call('PUT', '/notification-preferences', approver, {
      channels: ['in_app'],
      delivery: 'immediate',
    });
    expect(set.json()).toMatchObject({ channels: ['in_app'], version: 1 });
    const stale = await call('PUT', '/notification-preferences', approver, {
      channels: ['email'],
      delivery: 'immediate',
      version: 7,
    });
    expect(stale.statusCode).toBe(409);
    await move(id, 'in_review');
    await move(id, 'ready_for_approval');
    expect((await outboxFor(approverUser.id)).map((r) => r.channel)).toEqual(['in_app']);
  });

  it('retries with growing delays, parks after the last try, and an operator queues it again', async () => {
    const { id, approverUser } = await draftInvoice();
    await move(id, 'in_review');
    await move(id, 'ready_for_approval');
    const channels = new RecordingChannels();
    channels.failing = 'connection refused';
    await deliverAll(channels);
    const [inApp, email] = await outboxFor(approverUser.id);
    expect(inApp!.state).toBe('delivered');
    expect(email).toMatchObject({
      state: 'pending',
      attempts: 1,
      last_error: 'connection refused',
    });
    const firstRetry = email!.due_at.getTime() - t.clock.now().getTime();
    expect(firstRetry).toBe(30_000);

    t.clock.advance(30_000);
    await deliverAll(channels);
    const second = (await outboxFor(approverUser.id))[1]!;
    expect(second).toMatchObject({ state: 'pending', attempts: 2 });
    expect(second.due_at.getTime() - t.clock.now().getTime()).toBe(60_000);

    t.clock.advance(60_000);
    await deliverAll(channels);
    expect((await outboxFor(approverUser.id))[1]).toMatchObject({ state: 'parked', attempts: 3 });

    const parked = await call('GET', '/notifications?state=parked', admin);
    expect(parked.statusCode).toBe(200);
    expect(parked.json().items.map((m: { id: number }) => m.id)).toContain(email!.id);
    expect((await call('GET', '/notifications', coordinator)).statusCode).toBe(403);

    expect((await call('POST', `/notifications/${email!.id}/retry`, admin)).statusCode).toBe(200);
    expect((await call('POST', `/notifications/${email!.id}/retry`, admin)).statusCode).toBe(409);
    channels.failing = null;
    await deliverAll(channels);
    expect((await outboxFor(approverUser.id))[1]).toMatchObject({
      state: 'delivered',
      attempts: 1,
    });
    expect(channels.emails.map((m) => m.idempotencyKey)).toEqual([email!.idempotency_key]);
    const audit = await t.db
      .selectFrom('audit_event')
      .select(['action', 'entity_id'])
      .where('action', '=', 'notification.retry')
      .execute();
    expect(audit).toEqual([{ action: 'notification.retry', entity_id: String(email!.id) }]);
  });
});
