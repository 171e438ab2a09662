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
let coordinatorId: number;

const QUESTION = 'Was this 1.5 hours? The draft motion took 1.0 last month.';

beforeAll(async () => {
  t = await openTestDatabase();
  t.ctx.notifications = await testNotificationSettings();
  app = await buildApp({ ctx: t.ctx });
  call = caller(app);
  const user = await buildUser(t.db, { roles: ['billing_coordinator'] });
  coordinatorId = user.id;
  coordinator = await signIn(app, user.email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

async function invoice(id: number) {
  return (await call('GET', `/invoices/${id}`, coordinator)).json();
}

async function inReview(options: Parameters<typeof billedDraft>[3] = {}) {
  const draft = await billedDraft(t, app, coordinator, options);
  const moved = await call('POST', `/invoices/${draft.id}/transitions`, coordinator, {
    to: 'in_review',
    version: (await invoice(draft.id)).version,
  });
  expect(moved.statusCode).toBe(200);
  return draft;
}

async function askOnFirstLine(id: number, cookie = coordinator) {
  const { version, lines } = await invoice(id);
  const asked = await call('POST', `/invoices/${id}/questions`, cookie, {
    version,
    line_id: lines[0].id,
    question: QUESTION,
  });
  expect(asked.statusCode).toBe(200);
  const [question] = await t.db
    .selectFrom('invoice_question')
    .select(['id', 'version'])
    .where('invoice_id', '=', id)
    .orderBy('id', 'desc')
    .limit(1)
    .execute();
  return question!;
}

function outboxOf(userId: number) {
  return t.db
    .selectFrom('notification_outbox')
    .select(['kind', 'channel', 'idempotency_key', 'payload'])
    .where('recipient_user_id', '=', userId)
    .orderBy('id')
    .execute();
}

describe('questions to timekeepers', () => {
  it('tells the timekeeper what to answer, and the reviewer who asked when it is answered', async () => {
    const draft = await inReview();
    const question = await askOnFirstLine(draft.id);

    // One message per channel, of the question's kind: no generic "you own this stage" beside it.
    const toTimekeeper = await outboxOf(draft.timekeeperUser.id);
    expect(toTimekeeper.map((r) => [r.kind, r.channel, r.idempotency_key])).toEqual([
      [
        'timekeeper_question',
        'in_app',
        `timekeeper_question:${question.id}:${draft.timekeeperUser.id}:in_app`,
      ],
      [
        'timekeeper_question',
        'email',
        `timekeeper_question:${question.id}:${draft.timekeeperUser.id}:email`,
      ],
    ]);

    const channels = new RecordingChannels();
    await dispatchDue(t.ctx, channels);
    const email = channels.emails.find((m) => m.recipient.userId === draft.timekeeperUser.id)!;
    expect(email.rendered.subject).toBe(
      `Question for you on invoice ${(await invoice(draft.id)).invoice_number} (${draft.matter.matter_code}): your answer is needed`,
    );
    expect(email.rendered.link).toBe(`https://matterflow.firm.test/time?question=${question.id}`);
    expect(email.rendered.text).toContain(
      `entry ${draft.entries[0]!.entry_id} (2026-10-15, 1.50 h)`,
    );
    // Email bodies stay minimal: the question may quote the narrative.
    expect(email.rendered.text).not.toContain(QUESTION);
    expect(email.rendered.html).toContain('/time?question=');
    const inbox = await t.db
      .selectFrom('inbox_message')
      .select(['kind', 'body', 'link'])
      .where('user_id', '=', draft.timekeeperUser.id)
      .execute();
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.body).toContain(`Question: ${QUESTION}`);

    const answered = await call(
      'POST',
      `/invoice-questions/${question.id}/answer`,
      draft.timekeeperCookie,
      { version: question.version, answer: 'It was 1.0; corrected.' },
    );
    expect(answered.statusCode).toBe(200);
    const toReviewer = (await outboxOf(coordinatorId)).filter(
      (r) => r.kind === 'question_answered',
    );
    expect(toReviewer.map((r) => r.channel)).toEqual(['in_app', 'email']);
    expect(toReviewer[0]!.payload).toMatchObject({
      answer: 'It was 1.0; corrected.',
      openQuestions: 0,
      invoice: { state: 'in_review' },
    });
    await dispatchDue(t.ctx, channels);
    const reviewerInbox = await t.db
      .selectFrom('inbox_message')
      .select(['body', 'link'])
      .where('user_id', '=', coordinatorId)
      .where('kind', '=', 'question_answered')
      .executeTakeFirstOrThrow();
    expect(reviewerInbox.body).toContain('Answer: It was 1.0; corrected.');
    expect(reviewerInbox.body).toContain('The invoice is now in review.');
    expect(reviewerInbox.link).toBe(`https://matterflow.firm.test/invoices/${draft.id}`);
  });

  it('respects mutes and walls, and tells no deactivated reviewer', async () => {
    // A timekeeper who muted the matter hears nothing of it.
    const muted = await inReview();
    const mute = await call(
      'PUT',
      `/notification-preferences/mutes/${muted.matter.id}`,
      muted.timekeeperCookie,
    );
    expect(mute.statusCode).toBeLessThan(300);
    await askOnFirstLine(muted.id);
    expect(await outboxOf(muted.timekeeperUser.id)).toEqual([]);

    // Behind a wall the timekeeper is not inside, nothing reaches them.
    const walled = await inReview({ restricted: true, member: coordinatorId });
    await askOnFirstLine(walled.id);
    expect(await outboxOf(walled.timekeeperUser.id)).toEqual([]);

    // The reviewer who asked has left the firm by the time the answer comes.
    const leaver = await buildUser(t.db, { roles: ['billing_coordinator'] });
    const leaverCookie = await signIn(app, leaver.email);
    const draft = await inReview();
    const question = await askOnFirstLine(draft.id, leaverCookie);
    await t.db.updateTable('app_user').set({ active: false }).where('id', '=', leaver.id).execute();
    const answered = await call(
      'POST',
      `/invoice-questions/${question.id}/answer`,
      draft.timekeeperCookie,
      { version: question.version, answer: 'Fine as billed.' },
    );
    expect(answered.statusCode).toBe(200);
    expect(await outboxOf(leaver.id)).toEqual([]);
    expect((await outboxOf(draft.timekeeperUser.id)).map((r) => r.kind)).toEqual([
      'timekeeper_question',
      'timekeeper_question',
    ]);
  });
});
