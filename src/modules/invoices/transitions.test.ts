import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;

beforeAll(async () => {
  t = await openTestDatabase();
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

/** A draft invoice from a bill run on a small matter, with its responsible attorney's approver login. */
async function draftInvoice() {
  const client = await buildClient(t.db);
  const attorney = await buildTimekeeper(t.db, { classification: 'PT' });
  const approverUser = await buildUser(t.db, { roles: ['approver'], timekeeper_id: attorney.id });
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
  expect(run.statusCode).toBe(200);
  const id: number = run.json().invoices[0].id;
  const approver = await signIn(app, approverUser.email);
  return { id, matter, approver, approverUser };
}

async function move(id: number, cookie: string, to: string, reason?: string) {
  const { version } = (await call('GET', `/invoices/${id}`, cookie)).json();
  return call('POST', `/invoices/${id}/transitions`, cookie, { to, version, reason });
}

async function readyForApproval() {
  const draft = await draftInvoice();
  expect((await move(draft.id, coordinator, 'in_review')).statusCode).toBe(200);
  expect((await move(draft.id, coordinator, 'ready_for_approval')).statusCode).toBe(200);
  return draft;
}

describe('invoice transitions', () => {
  it('moves a draft through review to approval by the routed approver', async () => {
    const { id, approver, approverUser } = await draftInvoice();

    const review = await move(id, coordinator, 'in_review');
    expect(review.statusCode).toBe(200);
    expect(review.json()).toMatchObject({ state: 'in_review', owner_role: 'billing_coordinator' });

    const ready = await move(id, coordinator, 'ready_for_approval');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      state: 'ready_for_approval',
      approval_level: 1,
      owner_role: 'responsible_attorney',
      owner_user_id: approverUser.id,
    });

    const approved = await move(id, approver, 'approved');
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'approved', rework_count: 0 });
  });

  it('refuses approval by an approver the routing does not name (403)', async () => {
    const { id } = await readyForApproval();
    const stranger = await signIn(app, (await buildUser(t.db, { roles: ['approver'] })).email);
    const response = await move(id, stranger, 'approved');
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('NOT_STAGE_OWNER');
  });

  it('refuses a role the move does not allow (403)', async () => {
    const { id } = await readyForApproval();
    const response = await move(id, coordinator, 'approved');
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('ROLE_NOT_ALLOWED');
  });

  it('refuses a move the table does not list (409)', async () => {
    const { id } = await draftInvoice();
    const response = await move(id, coordinator, 'paid');
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('refuses a stale version (409)', async () => {
    const { id } = await draftInvoice();
    const { version } = (await call('GET', `/invoices/${id}`, coordinator)).json();
    expect((await move(id, coordinator, 'in_review')).statusCode).toBe(200);
    const stale = await call('POST', `/invoices/${id}/transitions`, coordinator, {
      to: 'ready_for_approval',
      version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');
  });

  it('keeps an invoice with an open blocking exception from approval', async () => {
    const { id, matter, approver } = await readyForApproval();
    const now = new Date();
    await t.db
      .insertInto('guideline_exception')
      .values({
        fingerprint: `invoice-${id}-missing-po`,
        rule_id: 'purchase_order_required',
        rule_kind: 'required_field',
        guideline_version_id: null,
        severity: 'block',
        owner_role: 'billing_coordinator',
        owner_user_id: null,
        entity_type: 'invoice',
        time_entry_id: null,
        expense_id: null,
        invoice_id: id,
        entity_external_id: String(id),
        matter_id: matter.id,
        message: 'The client requires a purchase order number.',
        correction: null,
        opened_at: now,
        last_seen_at: now,
      })
      .execute();
    const response = await move(id, approver, 'approved');
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('OPEN_BLOCKING_EXCEPTIONS');
    const invoice = (await call('GET', `/invoices/${id}`, coordinator)).json();
    expect(invoice.state).toBe('ready_for_approval');
  });

  it('counts a move back to review as rework and lists every move in the history', async () => {
    const { id, approver } = await readyForApproval();
    const refusedWithoutReason = await move(id, approver, 'in_review');
    expect(refusedWithoutReason.statusCode).toBe(400);
    expect(refusedWithoutReason.json().code).toBe('REASON_REQUIRED');

    const back = await move(id, approver, 'in_review', 'narratives too vague');
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ state: 'in_review', rework_count: 1, approval_level: 0 });

    const history = await call('GET', `/invoices/${id}/history`, coordinator);
    expect(history.statusCode).toBe(200);
    const { audit_events, stage_events } = history.json();
    const moves = stage_events.filter((e: { trigger: string }) => e.trigger === 'transition');
    expect(moves).toMatchObject([
      { from_state: 'draft', to_state: 'in_review', rework: false },
      { from_state: 'in_review', to_state: 'ready_for_approval', approval_level: 1 },
      {
        from_state: 'ready_for_approval',
        to_state: 'in_review',
        rework: true,
        reason: 'narratives too vague',
      },
    ]);
    expect(
      audit_events
        .filter((e: { action: string }) => e.action === 'invoice.transition')
        .map((e: { after: { state: string } }) => e.after.state),
    ).toEqual(['in_review', 'ready_for_approval', 'in_review']);
  });
});
