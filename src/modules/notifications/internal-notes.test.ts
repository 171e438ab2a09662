import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import { buildUser, signIn } from '../../test/factories.js';
import { billedDraft, caller } from '../../test/invoice-drafts.js';
import { RecordingChannels, testNotificationSettings } from '../../test/notifications.js';
import { dispatchDue } from './dispatcher.js';

let t: TestDatabase;
let app: FastifyInstance;
let call: ReturnType<typeof caller>;
let coordinator: string;

/** What a reviewer wrote for the firm's eyes only; it must never leave in a message. */
const NOTE = 'INTERNAL-ONLY: partner agreed to absorb the overrun, do not tell the client';

beforeAll(async () => {
  t = await openTestDatabase();
  t.ctx.notifications = await testNotificationSettings();
  app = await buildApp({ ctx: t.ctx });
  call = caller(app);
  coordinator = await signIn(
    app,
    (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
  );
});
afterAll(async () => {
  await app.close();
  await t.close();
});

describe('internal notes and notifications', () => {
  it('never puts a line’s internal note into an email, inbox message, webhook or outbox payload', async () => {
    const draft = await billedDraft(t, app, coordinator, {
      entries: [{ hours: '1.50' }, { hours: '2.00', work_date: '2026-10-16' }],
    });
    // Everyone the invoice's moves notify sends their messages to a webhook as well.
    for (const cookie of [coordinator, draft.approver, draft.timekeeperCookie]) {
      const subscribed = await call('POST', '/webhook-subscriptions', cookie, {
        url: 'https://chat.firm.test/hooks/billing',
      });
      expect(subscribed.statusCode).toBe(201);
    }
    const invoice = async () => (await call('GET', `/invoices/${draft.id}`, coordinator)).json();
    const move = async (to: string, cookie = coordinator) => {
      const moved = await call('POST', `/invoices/${draft.id}/transitions`, cookie, {
        to,
        version: (await invoice()).version,
      });
      expect(moved.statusCode, JSON.stringify(moved.json())).toBe(200);
    };

    await move('in_review');
    for (const line of (await invoice()).lines) {
      const noted = await call('PATCH', `/invoices/${draft.id}/lines/${line.id}`, coordinator, {
        version: (await invoice()).version,
        internal_note: NOTE,
        reason_code: 'billing_error',
      });
      expect(noted.statusCode, JSON.stringify(noted.json())).toBe(200);
    }
    expect(
      await t.db
        .selectFrom('invoice_line')
        .select('id')
        .where('invoice_id', '=', draft.id)
        .where('internal_note', '=', NOTE)
        .execute(),
    ).toHaveLength(2);

    // A question to the timekeeper and its answer, then review, approval and sign-off.
    const { version, lines } = await invoice();
    const asked = await call('POST', `/invoices/${draft.id}/questions`, coordinator, {
      version,
      line_id: lines[0].id,
      question: 'Was this 1.5 hours?',
    });
    expect(asked.statusCode).toBe(200);
    const question = await t.db
      .selectFrom('invoice_question')
      .select(['id', 'version'])
      .where('invoice_id', '=', draft.id)
      .executeTakeFirstOrThrow();
    const answered = await call(
      'POST',
      `/invoice-questions/${question.id}/answer`,
      draft.timekeeperCookie,
      { version: question.version, answer: 'Yes, 1.5.' },
    );
    expect(answered.statusCode).toBe(200);
    await move('ready_for_approval');
    await move('approved', draft.approver);

    const channels = new RecordingChannels();
    await dispatchDue(t.ctx, channels);
    const outbox = await t.db
      .selectFrom('notification_outbox')
      .select(['kind', 'payload', 'state'])
      .execute();
    const inbox = await t.db.selectFrom('inbox_message').select(['subject', 'body']).execute();
    // The invoice's moves did notify people, on every channel.
    expect(new Set(outbox.map((row) => row.kind))).toEqual(
      new Set(['draft_ready', 'timekeeper_question', 'question_answered']),
    );
    expect(channels.emails.length).toBeGreaterThan(0);
    expect(channels.webhooks.length).toBeGreaterThan(0);
    expect(inbox.length).toBeGreaterThan(0);

    const everything = JSON.stringify({
      payloads: outbox.map((row) => row.payload),
      inbox,
      emails: channels.emails.map((m) => m.rendered),
      webhooks: channels.webhooks.map((w) => w.message.rendered),
    });
    expect(everything).not.toContain('INTERNAL-ONLY');
    expect(everything).not.toContain('absorb the overrun');
  });
});
