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
  buildReleasedExpense,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;
let legalOps: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  coordinator = await signIn(
    app,
    (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
  );
  legalOps = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function call(method: 'GET' | 'POST', url: string, cookie: string, payload?: object) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
}

async function move(id: number, cookie: string, to: string, reason?: string) {
  const { version } = (await call('GET', `/invoices/${id}`, cookie)).json();
  const response = await call('POST', `/invoices/${id}/transitions`, cookie, {
    to,
    version,
    reason,
  });
  expect(response.statusCode, JSON.stringify(response.json())).toBe(200);
  return response.json();
}

const billRun = (matterCode: string) =>
  call('POST', '/bill-runs', coordinator, { period: '2026-10', matter_code: matterCode });

/** A matter on `arrangement` with 2 hours at 400.00 and a 10.00 expense, released. */
async function matterOn(arrangement: 'hourly' | 'flat' | 'contingency' | 'capped') {
  const client = await buildClient(t.db);
  const partner = await buildTimekeeper(t.db, { classification: 'PT' });
  const approver = await buildUser(t.db, { roles: ['approver'], timekeeper_id: partner.id });
  const feeAmount = { hourly: null, flat: 500000, contingency: null, capped: 50000 }[arrangement];
  const matter = await buildMatter(t.db, {
    client_id: client.id,
    responsible_attorney_id: partner.id,
    client_matter_id: `CM-${arrangement}`,
    fee_arrangement: arrangement,
    fee_amount_cents: feeAmount,
  });
  const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
  await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
  await buildReleasedEntry(t.db, {
    matter_id: matter.id,
    timekeeper_id: timekeeper.id,
    hours: '2.00',
  });
  await buildReleasedExpense(t.db, { matter_id: matter.id });
  return { matter, approver: await signIn(app, approver.email) };
}

const LIFECYCLE = [
  'draft',
  'in_review',
  'ready_for_approval',
  'approved',
  'submitted',
  'accepted',
  'paid',
];

async function finish(id: number, approver: string) {
  await move(id, coordinator, 'in_review');
  await move(id, coordinator, 'ready_for_approval');
  await move(id, approver, 'approved');
  await move(id, legalOps, 'submitted');
  await move(id, legalOps, 'accepted');
  return move(id, legalOps, 'paid');
}

async function trail(id: number) {
  const history = (await call('GET', `/invoices/${id}/history`, coordinator)).json();
  return {
    states: history.stage_events.map((e: { to_state: string }) => e.to_state),
    rework: history.stage_events.filter((e: { rework: boolean }) => e.rework).length,
    moves: history.audit_events.filter((e: { action: string }) => e.action === 'invoice.transition')
      .length,
  };
}

describe('an invoice from bill run to paid, for each fee arrangement', () => {
  it('hourly: every entry billed at its rate; a send-back is counted as rework', async () => {
    const { matter, approver } = await matterOn('hourly');
    const run = await billRun(matter.matter_code);
    const id: number = run.json().invoices[0].id;
    expect(run.json().invoices[0]).toMatchObject({ state: 'draft', total_cents: 81000 });

    await move(id, coordinator, 'in_review');
    await move(id, coordinator, 'ready_for_approval');
    const back = await move(id, approver, 'in_review', 'entries need task codes checked');
    expect(back).toMatchObject({ state: 'in_review', rework_count: 1 });
    await move(id, coordinator, 'ready_for_approval');
    await move(id, approver, 'approved');
    await move(id, legalOps, 'submitted');
    await move(id, legalOps, 'accepted');
    const paid = await move(id, legalOps, 'paid');
    expect(paid).toMatchObject({
      state: 'paid',
      total_cents: 81000,
      rework_count: 1,
      owner_user_id: null,
    });
    expect(await trail(id)).toEqual({
      states: [
        'draft',
        'in_review',
        'ready_for_approval',
        'in_review',
        'ready_for_approval',
        'approved',
        'submitted',
        'accepted',
        'paid',
      ],
      rework: 1,
      moves: 8,
    });
    // Paid is the end: nothing moves it.
    const after = await call('POST', `/invoices/${id}/transitions`, legalOps, {
      to: 'void',
      reason: 'x',
      version: paid.version,
    });
    expect(after.statusCode).toBe(409);
  });

  it('flat: the agreed fee once, the work at no charge', async () => {
    const { matter, approver } = await matterOn('flat');
    const run = await billRun(matter.matter_code);
    const id: number = run.json().invoices[0].id;
    expect(run.json().invoices[0]).toMatchObject({ total_cents: 501000 });
    const paid = await finish(id, approver);
    expect(paid).toMatchObject({
      state: 'paid',
      fees_cents: 500000,
      expenses_cents: 1000,
      total_cents: 501000,
    });
    expect(await trail(id)).toEqual({ states: LIFECYCLE, rework: 0, moves: 6 });
  });

  it('contingency: expenses only until the outcome is entered, then the fee on the outcome', async () => {
    const { matter, approver } = await matterOn('contingency');
    const run = await billRun(matter.matter_code);
    const id: number = run.json().invoices[0].id;
    expect(run.json().invoices[0]).toMatchObject({ total_cents: 1000 });

    const draft = (await call('GET', `/invoices/${id}`, coordinator)).json();
    const badAmount = await call('POST', `/invoices/${id}/outcome`, coordinator, {
      outcome_amount_cents: -1,
      version: draft.version,
    });
    expect(badAmount.statusCode).toBe(400);
    const recorded = await call('POST', `/invoices/${id}/outcome`, coordinator, {
      outcome_amount_cents: 2500000,
      version: draft.version,
    });
    expect(recorded.statusCode).toBe(200);
    expect(recorded.json()).toMatchObject({
      outcome_amount_cents: 2500000,
      version: draft.version + 1,
    });
    const rerun = await billRun(matter.matter_code);
    expect(rerun.json().invoices[0]).toMatchObject({ outcome: 'refreshed', total_cents: 2501000 });

    await move(id, coordinator, 'in_review');
    // Once review has started, the outcome belongs to the draft that was reviewed.
    const { version } = (await call('GET', `/invoices/${id}`, coordinator)).json();
    const late = await call('POST', `/invoices/${id}/outcome`, coordinator, {
      outcome_amount_cents: 1,
      version,
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('INVOICE_IN_PROGRESS');

    await move(id, coordinator, 'ready_for_approval');
    await move(id, approver, 'approved');
    await move(id, legalOps, 'submitted');
    await move(id, legalOps, 'accepted');
    const paid = await move(id, legalOps, 'paid');
    expect(paid).toMatchObject({ state: 'paid', fees_cents: 2500000, total_cents: 2501000 });
    expect(await trail(id)).toEqual({ states: LIFECYCLE, rework: 0, moves: 6 });
    const history = (await call('GET', `/invoices/${id}/history`, coordinator)).json();
    expect(history.audit_events.map((e: { action: string }) => e.action)).toContain(
      'invoice.record_outcome',
    );
  });

  it('contingency: review cannot be completed without an outcome', async () => {
    const { matter } = await matterOn('contingency');
    const id: number = (await billRun(matter.matter_code)).json().invoices[0].id;
    await move(id, coordinator, 'in_review');
    const { version } = (await call('GET', `/invoices/${id}`, coordinator)).json();
    const refused = await call('POST', `/invoices/${id}/transitions`, coordinator, {
      to: 'ready_for_approval',
      version,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('CONTINGENCY_OUTCOME_MISSING');
  });

  it('capped: fees brought down to the cap', async () => {
    const { matter, approver } = await matterOn('capped');
    const run = await billRun(matter.matter_code);
    const id: number = run.json().invoices[0].id;
    expect(run.json().invoices[0]).toMatchObject({ total_cents: 51000 });
    expect(run.json().invoices[0].cap).toMatchObject({ cap_cents: 50000, remaining_cents: 0 });
    const paid = await finish(id, approver);
    expect(paid).toMatchObject({
      state: 'paid',
      fees_cents: 80000,
      adjustments_cents: -30000,
      total_cents: 51000,
    });
    expect(await trail(id)).toEqual({ states: LIFECYCLE, rework: 0, moves: 6 });
  });

  it('refuses an outcome on a matter that is not contingent', async () => {
    const { matter } = await matterOn('hourly');
    const invoice = (await billRun(matter.matter_code)).json().invoices[0];
    const { version } = (await call('GET', `/invoices/${invoice.id}`, coordinator)).json();
    const response = await call('POST', `/invoices/${invoice.id}/outcome`, coordinator, {
      outcome_amount_cents: 100,
      version,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('NOT_CONTINGENT');
  });
});

describe('work on a signed-off invoice', () => {
  const statuses = async (matterId: number) => ({
    entries: (
      await t.db
        .selectFrom('time_entry')
        .select('status')
        .where('matter_id', '=', matterId)
        .execute()
    ).map((r) => r.status),
    expenses: (
      await t.db.selectFrom('expense').select('status').where('matter_id', '=', matterId).execute()
    ).map((r) => r.status),
  });

  it('is billed and frozen from approval, and released again when the invoice is reopened', async () => {
    const { matter, approver } = await matterOn('hourly');
    const id: number = (await billRun(matter.matter_code)).json().invoices[0].id;
    await move(id, coordinator, 'in_review');
    await move(id, coordinator, 'ready_for_approval');
    expect(await statuses(matter.id)).toEqual({ entries: ['released'], expenses: ['released'] });

    await move(id, approver, 'approved');
    expect(await statuses(matter.id)).toEqual({ entries: ['billed'], expenses: ['billed'] });
    const entry = await t.db
      .selectFrom('time_entry')
      .select(['id', 'version'])
      .where('matter_id', '=', matter.id)
      .executeTakeFirstOrThrow();
    const edit = await app.inject({
      method: 'PATCH',
      url: `/api/v1/time-entries/${entry.id}`,
      headers: { cookie: coordinator },
      payload: { narrative: 'Rewritten after sign-off', version: entry.version },
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('WORK_ALREADY_BILLED');
    const audit = await t.db
      .selectFrom('audit_event')
      .select(['action', 'after'])
      .where('entity_type', '=', 'invoice')
      .where('entity_id', '=', String(id))
      .where('action', 'in', ['invoice.work_billed', 'invoice.work_released'])
      .orderBy('id')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'invoice.work_billed', after: { status: 'billed' } });

    // Submission and the portal's answers keep it billed; reopening hands it back for correction.
    await move(id, legalOps, 'submitted');
    await move(id, legalOps, 'rejected', 'Portal: rate above approved rate');
    expect(await statuses(matter.id)).toEqual({ entries: ['billed'], expenses: ['billed'] });
    await move(id, coordinator, 'in_review');
    expect(await statuses(matter.id)).toEqual({ entries: ['released'], expenses: ['released'] });
    const released = await t.db
      .selectFrom('audit_event')
      .select('action')
      .where('entity_id', '=', String(id))
      .where('action', '=', 'invoice.work_released')
      .execute();
    expect(released).toHaveLength(1);
  });

  it('is billed again on a new invoice once its invoice is voided, which keeps its lines', async () => {
    const { matter, approver } = await matterOn('hourly');
    const lines = async (id: number) =>
      (await call('GET', `/invoices/${id}`, coordinator))
        .json()
        .lines.map(
          (l: {
            time_entry_id: number | null;
            expense_id: number | null;
            disposition: string;
            amount_cents: number;
          }) => ({
            time_entry_id: l.time_entry_id,
            expense_id: l.expense_id,
            disposition: l.disposition,
            amount_cents: l.amount_cents,
          }),
        );
    const first = (await billRun(matter.matter_code)).json().invoices[0];
    const listed = await lines(first.id);
    expect(listed.map((l: { disposition: string }) => l.disposition)).toEqual(['bill', 'bill']);

    // A draft voided: its lines stay for the record, voided, and the work is free again.
    const voided = await move(first.id, coordinator, 'void', 'Raised on the wrong period');
    expect(voided).toMatchObject({ state: 'void', total_cents: 81000 });
    expect(await lines(first.id)).toEqual(
      listed.map((l: object) => ({ ...l, disposition: 'voided' })),
    );
    const transition = await t.db
      .selectFrom('audit_event')
      .select('after')
      .where('entity_type', '=', 'invoice')
      .where('entity_id', '=', String(first.id))
      .where('action', '=', 'invoice.transition')
      .executeTakeFirstOrThrow();
    expect(transition.after).toMatchObject({ state: 'void', lines_voided: 2 });

    const rerun = (await billRun(matter.matter_code)).json();
    expect(rerun).toMatchObject({ created: 1, entries_billed: 1, expenses_billed: 1 });
    const second = rerun.invoices[0];
    expect(second.id).not.toBe(first.id);
    expect(second.invoice_number).not.toBe(first.invoice_number);
    expect(second).toMatchObject({ outcome: 'created', state: 'draft', total_cents: 81000 });
    expect(await lines(second.id)).toEqual(listed);

    // Signed off, the work is billed; voided after sign-off, it is released and billed anew.
    await move(second.id, coordinator, 'in_review');
    await move(second.id, coordinator, 'ready_for_approval');
    await move(second.id, approver, 'approved');
    expect(await statuses(matter.id)).toEqual({ entries: ['billed'], expenses: ['billed'] });
    await move(second.id, coordinator, 'void', 'Client merged the matters');
    expect(await statuses(matter.id)).toEqual({ entries: ['released'], expenses: ['released'] });
    const third = (await billRun(matter.matter_code)).json().invoices[0];
    expect(third).toMatchObject({ outcome: 'created', total_cents: 81000 });
    expect(new Set([first.id, second.id, third.id]).size).toBe(3);
    await move(third.id, coordinator, 'in_review');
    await move(third.id, coordinator, 'ready_for_approval');
    await move(third.id, approver, 'approved');
    expect(await statuses(matter.id)).toEqual({ entries: ['billed'], expenses: ['billed'] });
    // The work is on one live line only; the two void invoices keep theirs, voided.
    const claims = await t.db
      .selectFrom('invoice_line')
      .select(['invoice_id', 'disposition'])
      .where('invoice_id', 'in', [first.id, second.id, third.id])
      .where('time_entry_id', 'is not', null)
      .orderBy('invoice_id')
      .execute();
    expect(claims).toEqual([
      { invoice_id: first.id, disposition: 'voided' },
      { invoice_id: second.id, disposition: 'voided' },
      { invoice_id: third.id, disposition: 'bill' },
    ]);
    // A run now finds nothing to bill: the work is on the approved invoice.
    const quiet = (await billRun(matter.matter_code)).json();
    expect(quiet).toMatchObject({ created: 0, refreshed: 0, entries_billed: 0 });
  });

  it('leaves work a reviewer took off the invoice released', async () => {
    const { matter, approver } = await matterOn('hourly');
    const id: number = (await billRun(matter.matter_code)).json().invoices[0].id;
    const expenseLine = await t.db
      .selectFrom('invoice_line')
      .select('id')
      .where('invoice_id', '=', id)
      .where('expense_id', 'is not', null)
      .executeTakeFirstOrThrow();
    // Held to the next cycle, as the pre-bill review does.
    await t.db
      .updateTable('invoice_line')
      .set({ disposition: 'hold' })
      .where('id', '=', expenseLine.id)
      .execute();
    await move(id, coordinator, 'in_review');
    await move(id, coordinator, 'ready_for_approval');
    await move(id, approver, 'approved');
    expect(await statuses(matter.id)).toEqual({ entries: ['billed'], expenses: ['released'] });
  });
});
