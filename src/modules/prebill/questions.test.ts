import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildUser, signIn } from '../../test/factories.js';
import { billedDraft, caller } from '../../test/invoice-drafts.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;
let call: ReturnType<typeof caller>;

beforeAll(async () => {
  t = await openTestDatabase();
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

async function invoice(id: number) {
  return (await call('GET', `/invoices/${id}`, coordinator)).json();
}

async function inReview(options: Parameters<typeof billedDraft>[3] = {}) {
  const draft = await billedDraft(t, app, coordinator, options);
  const { version } = await invoice(draft.id);
  const moved = await call('POST', `/invoices/${draft.id}/transitions`, coordinator, {
    to: 'in_review',
    version,
  });
  expect(moved.statusCode).toBe(200);
  return draft;
}

async function ask(id: number, body: object) {
  const { version } = await invoice(id);
  return call('POST', `/invoices/${id}/questions`, coordinator, { version, ...body });
}

describe('sending an invoice back to its timekeeper', () => {
  it('waits on the timekeeper, lets them correct the entry and returns to review on the answer', async () => {
    const draft = await inReview();
    const entry = draft.entries[0]!;
    const { lines } = await invoice(draft.id);

    // In review, the entry is the reviewer's to change on the line, not the timekeeper's.
    const early = await call('PATCH', `/time-entries/${entry.id}`, draft.timekeeperCookie, {
      version: entry.version,
      hours: '1.00',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('WORK_ON_INVOICE');

    const asked = await ask(draft.id, {
      line_id: lines[0].id,
      question: 'Was this 1.5 hours? The draft motion took 1.0 last month.',
    });
    expect(asked.statusCode).toBe(200);
    expect(asked.json()).toMatchObject({
      state: 'waiting_on_timekeeper',
      owner_role: 'timekeeper',
      owner_user_id: draft.timekeeperUser.id,
    });

    const mine = await call('GET', '/invoice-questions/mine?state=open', draft.timekeeperCookie);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items).toMatchObject([
      {
        invoice_id: draft.id,
        line_id: lines[0].id,
        entry_id: entry.entry_id,
        question: 'Was this 1.5 hours? The draft motion took 1.0 last month.',
        state: 'open',
      },
    ]);
    // Only the rest of the billing team sees everyone's questions.
    const stranger = await signIn(
      app,
      (await buildUser(t.db, { roles: ['timekeeper'], timekeeper_id: null })).email,
    );
    expect((await call('GET', '/invoice-questions/mine', stranger)).json().items).toEqual([]);

    // A matter change is not a correction the timekeeper may make while invoiced.
    const tooMuch = await call('PATCH', `/time-entries/${entry.id}`, draft.timekeeperCookie, {
      version: entry.version,
      billable: false,
    });
    expect(tooMuch.statusCode).toBe(409);
    const fixed = await call('PATCH', `/time-entries/${entry.id}`, draft.timekeeperCookie, {
      version: entry.version,
      hours: '1.00',
      narrative: 'Draft motion to compel production (first draft only)',
    });
    expect(fixed.statusCode).toBe(200);
    const corrected = await invoice(draft.id);
    expect(corrected).toMatchObject({ total_cents: 40000, worked_fees_cents: 40000 });
    expect(corrected.lines[0]).toMatchObject({
      units: '1.00',
      worked_units: '1.00',
      amount_cents: 40000,
      worked_amount_cents: 40000,
      description: 'Draft motion to compel production (first draft only)',
    });
    expect(
      corrected.adjustments.map((a: Record<string, unknown>) => [
        a.kind,
        a.field,
        a.amount_cents,
        a.reason_code,
      ]),
    ).toEqual([
      ['edit', 'hours', -20000, 'timekeeper_correction'],
      ['edit', 'narrative', 0, 'timekeeper_correction'],
    ]);

    const [question] = mine.json().items;
    const answered = await call(
      'POST',
      `/invoice-questions/${question.id}/answer`,
      draft.timekeeperCookie,
      { version: question.version, answer: 'Right, it was 1.0; corrected.' },
    );
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({ state: 'answered', invoice_state: 'in_review' });
    expect(await invoice(draft.id)).toMatchObject({ state: 'in_review', rework_count: 0 });
    const history = (await call('GET', `/invoices/${draft.id}/history`, coordinator)).json();
    expect(history.stage_events.slice(-2)).toMatchObject([
      { from_state: 'in_review', to_state: 'waiting_on_timekeeper', trigger: 'question' },
      {
        from_state: 'waiting_on_timekeeper',
        to_state: 'in_review',
        trigger: 'questions_answered',
        rework: false,
        actor_user_id: draft.timekeeperUser.id,
      },
    ]);
    expect(
      (await call('GET', '/invoice-questions/mine?state=open', draft.timekeeperCookie)).json()
        .items,
    ).toEqual([]);
    // Back in review, the entry is locked again.
    const after = await call('PATCH', `/time-entries/${entry.id}`, draft.timekeeperCookie, {
      version: fixed.json().version,
      hours: '0.50',
    });
    expect(after.json().code).toBe('WORK_ON_INVOICE');
  });

  it('stays waiting until every question is answered, and only the asked timekeeper answers', async () => {
    const draft = await inReview({ entries: [{ hours: '1.50' }, { hours: '2.00' }] });
    const { lines } = await invoice(draft.id);
    expect((await ask(draft.id, { line_id: lines[0].id, question: 'Task code?' })).statusCode).toBe(
      200,
    );
    const second = await ask(draft.id, {
      timekeeper_code: 'NOPE',
      question: 'Anything else this month?',
    });
    expect(second.statusCode).toBe(400);
    const tk = await t.db
      .selectFrom('timekeeper')
      .select('timekeeper_code')
      .where('id', '=', draft.timekeeper.id)
      .executeTakeFirstOrThrow();
    expect(
      (
        await ask(draft.id, {
          timekeeper_code: tk.timekeeper_code,
          question: 'Anything else this month?',
        })
      ).statusCode,
    ).toBe(200);
    const questions = (
      await call('GET', `/invoices/${draft.id}/questions?state=open`, coordinator)
    ).json().items;
    expect(questions).toHaveLength(2);

    const otherUser = await buildUser(t.db, { roles: ['timekeeper'] });
    const other = await signIn(app, otherUser.email);
    const notMine = await call('POST', `/invoice-questions/${questions[0].id}/answer`, other, {
      version: questions[0].version,
      answer: 'Not me',
    });
    expect(notMine.statusCode).toBe(404);
    const coordinatorAnswer = await call(
      'POST',
      `/invoice-questions/${questions[0].id}/answer`,
      coordinator,
      { version: questions[0].version, answer: 'On their behalf' },
    );
    expect(coordinatorAnswer.statusCode).toBe(403);

    const first = await call(
      'POST',
      `/invoice-questions/${questions[1].id}/answer`,
      draft.timekeeperCookie,
      { version: questions[1].version, answer: 'L120' },
    );
    expect(first.json()).toMatchObject({
      state: 'answered',
      invoice_state: 'waiting_on_timekeeper',
    });
    const last = await call(
      'POST',
      `/invoice-questions/${questions[0].id}/answer`,
      draft.timekeeperCookie,
      { version: questions[0].version, answer: 'Nothing else.' },
    );
    expect(last.json()).toMatchObject({ invoice_state: 'in_review' });
  });

  it('hides questions on walled matters from non-members (404)', async () => {
    const member = await buildUser(t.db, { roles: ['billing_coordinator'] });
    const memberCookie = await signIn(app, member.email);
    const draft = await billedDraft(t, app, memberCookie, { restricted: true, member: member.id });
    const { version, lines } = (await call('GET', `/invoices/${draft.id}`, memberCookie)).json();
    const outside = await call('POST', `/invoices/${draft.id}/questions`, coordinator, {
      version,
      line_id: lines[0].id,
      question: 'Hours?',
    });
    expect(outside.statusCode).toBe(404);
    expect((await call('GET', `/invoices/${draft.id}/questions`, coordinator)).statusCode).toBe(
      404,
    );
  });
});
