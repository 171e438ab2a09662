import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import {
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';
import { testNotificationSettings } from '../../test/notifications.js';
import { createDeliveryChannels } from './channels/index.js';
import { dispatchDue } from './dispatcher.js';

interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;
let smtp: SMTPServer;
let smtpPort: number;
const mails: ReceivedMail[] = [];
let receiver: Server;
let receiverUrl: string;
const calls: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
let receiverStatus = 200;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  coordinator = await signIn(
    app,
    (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
  );

  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;

  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      calls.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = receiverStatus;
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/matterflow`;
});
afterAll(async () => {
  await app.close();
  await t.close();
  await new Promise<void>((resolve) => smtp.close(resolve));
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

function call(method: 'GET' | 'POST' | 'DELETE', url: string, cookie: string, payload?: object) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
}

/** An invoice moved to approval: its approver is owed a draft_ready message. */
async function invoiceAwaitingApproval() {
  const client = await buildClient(t.db);
  const attorney = await buildTimekeeper(t.db, { classification: 'PT' });
  const approverUser = await buildUser(t.db, {
    roles: ['approver'],
    timekeeper_id: attorney.id,
    name: 'Ann Attorney',
  });
  const matter = await buildMatter(t.db, {
    client_id: client.id,
    responsible_attorney_id: attorney.id,
    client_matter_id: 'CLM-1',
  });
  const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
  await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
  await buildReleasedEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
  const run = await call('POST', '/bill-runs', coordinator, {
    period: '2026-10',
    matter_code: matter.matter_code,
  });
  const id: number = run.json().invoices[0].id;
  const approver = await signIn(app, approverUser.email);
  const move = async (to: string) => {
    const { version } = (await call('GET', `/invoices/${id}`, coordinator)).json();
    expect(
      (await call('POST', `/invoices/${id}/transitions`, coordinator, { to, version })).statusCode,
    ).toBe(200);
  };
  return { id, approverUser, approver, move };
}

describe('email over SMTP', () => {
  it('sends the approver a message with the subject and the link to the invoice', async () => {
    const settings = await testNotificationSettings({ smtpUrl: `smtp://127.0.0.1:${smtpPort}` });
    t.ctx.notifications = settings;
    const { id, approverUser, move } = await invoiceAwaitingApproval();
    await move('in_review');
    await move('ready_for_approval');

    const channels = createDeliveryChannels(settings);
    await dispatchDue(t.ctx, channels);
    await channels.close?.();

    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.to).toEqual([approverUser.email]);
    expect(mail!.from).toBe('matterflow@localhost');
    const invoiceNumber = (
      await t.db
        .selectFrom('invoice')
        .select('invoice_number')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).invoice_number;
    expect(mail!.data).toContain(`Subject: Action needed: invoice ${invoiceNumber}`);
    expect(mail!.data).toContain(`https://matterflow.firm.test/invoices/${id}`);
    expect(mail!.data).toContain('X-Matterflow-Idempotency-Key: draft_ready:invoice:');
    const row = await t.db
      .selectFrom('notification_outbox')
      .select(['state'])
      .where('recipient_user_id', '=', approverUser.id)
      .where('channel', '=', 'email')
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('delivered');
  });
});

describe('webhooks', () => {
  it('posts a JSON body with a text field, signed with the subscription secret', async () => {
    const settings = await testNotificationSettings();
    t.ctx.notifications = settings;
    const { id, approverUser, approver, move } = await invoiceAwaitingApproval();
    const created = await call('POST', '/webhook-subscriptions', approver, { url: receiverUrl });
    expect(created.statusCode).toBe(201);
    const { secret } = created.json();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(
      (await call('GET', '/webhook-subscriptions', approver)).json().items[0],
    ).not.toHaveProperty('secret');
    expect((await call('GET', '/notification-preferences', approver)).json().channels).toEqual([
      'in_app',
      'email',
      'webhook',
    ]);

    await move('in_review');
    await move('ready_for_approval');
    const channels = createDeliveryChannels(settings);
    receiverStatus = 500;
    await dispatchDue(t.ctx, channels);
    const failed = await t.db
      .selectFrom('notification_outbox')
      .select(['state', 'attempts', 'last_error', 'due_at'])
      .where('recipient_user_id', '=', approverUser.id)
      .where('channel', '=', 'webhook')
      .executeTakeFirstOrThrow();
    expect(failed).toMatchObject({
      state: 'pending',
      attempts: 1,
      last_error: 'webhook answered 500',
    });
    const subscriptionId = created.json().id as number;
    const deliveries = async () =>
      (await call('GET', '/webhook-subscriptions', approver))
        .json()
        .items.find((s: { id: number }) => s.id === subscriptionId).deliveries;
    expect(await deliveries()).toEqual({
      delivered: 0,
      pending: 1,
      parked: 0,
      last_delivered_at: null,
      last_error: 'webhook answered 500',
    });

    receiverStatus = 200;
    t.clock.set(failed.due_at);
    await dispatchDue(t.ctx, channels);
    await channels.close?.();

    expect(calls).toHaveLength(2);
    const last = calls[1]!;
    const expected = createHmac('sha256', secret).update(last.body).digest('hex');
    expect(last.headers['x-matterflow-signature']).toBe(expected);
    expect(createHmac('sha256', 'another secret').update(last.body).digest('hex')).not.toBe(
      expected,
    );
    const body = JSON.parse(last.body);
    expect(body.kind).toBe('draft_ready');
    expect(body.text).toContain(`https://matterflow.firm.test/invoices/${id}`);
    expect(body.id).toBe(last.headers['x-matterflow-idempotency-key']);
    expect(calls[0]!.body).toBe(last.body);
    const row = await t.db
      .selectFrom('notification_outbox')
      .select(['state', 'attempts'])
      .where('recipient_user_id', '=', approverUser.id)
      .where('channel', '=', 'webhook')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'delivered', attempts: 2 });
    expect(await deliveries()).toMatchObject({ delivered: 1, pending: 0, parked: 0 });
    expect((await deliveries()).last_delivered_at).not.toBeNull();

    expect(
      (await call('DELETE', `/webhook-subscriptions/${subscriptionId}`, approver)).statusCode,
    ).toBe(200);
    const audit = await t.db
      .selectFrom('audit_event')
      .select(['action', 'actor_user_id'])
      .where('entity_type', '=', 'webhook_subscription')
      .where('entity_id', '=', String(subscriptionId))
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'webhook_subscription.create', actor_user_id: approverUser.id },
      { action: 'webhook_subscription.deactivate', actor_user_id: approverUser.id },
    ]);
  });
});
