import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import {
  buildActiveGuideline,
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';
import { billedDraft, caller } from '../../test/invoice-drafts.js';
import { testNotificationSettings } from '../../test/notifications.js';
import { runScheduler } from './scheduler.js';

let t: TestDatabase;
let app: FastifyInstance;
let call: ReturnType<typeof caller>;
let coordinatorUser: { id: number; email: string };

beforeAll(async () => {
  t = await openTestDatabase();
  t.ctx.notifications = await testNotificationSettings();
  app = await buildApp({ ctx: t.ctx });
  call = caller(app);
  coordinatorUser = await buildUser(t.db, { roles: ['billing_coordinator'] });
});
afterAll(async () => {
  await app.close();
  await t.close();
});

/** Signs in at the clock's current time (sessions expire by the clock). */
const coordinator = () => signIn(app, coordinatorUser.email);

async function read(id: number) {
  return (await call('GET', `/invoices/${id}`, await coordinator())).json();
}

async function move(id: number, to: string) {
  const { version } = await read(id);
  const moved = await call('POST', `/invoices/${id}/transitions`, await coordinator(), {
    to,
    version,
  });
  expect(moved.statusCode, moved.body).toBe(200);
}

function breachesOf(id: number) {
  return t.db
    .selectFrom('invoice_sla_breach')
    .select(['state'])
    .where('invoice_id', '=', id)
    .orderBy('stage_entered_at')
    .execute();
}

async function auditOf(id: number, action: string) {
  return t.db
    .selectFrom('audit_event')
    .select(['before', 'after'])
    .where('entity_type', '=', 'invoice')
    .where('entity_id', '=', String(id))
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

describe('urgent invoices', () => {
  it('clears urgent when the invoice leaves the breached stage, and escalates a later breach once', async () => {
    t.clock.set('2026-11-16T09:00:00Z'); // a Monday
    const draft = await billedDraft(t, app, await coordinator());
    await move(draft.id, 'in_review');

    // Review has two business days: due Wednesday 09:00.
    t.clock.set('2026-11-18T09:01:00Z');
    await runScheduler(t.ctx);
    expect(await read(draft.id)).toMatchObject({ state: 'in_review', urgent: true });

    await move(draft.id, 'ready_for_approval');
    expect(await read(draft.id)).toMatchObject({ state: 'ready_for_approval', urgent: false });
    const [, toApproval] = await auditOf(draft.id, 'invoice.transition');
    expect(toApproval).toMatchObject({
      before: { state: 'in_review', urgent: true },
      after: { state: 'ready_for_approval', urgent: false },
    });
    // The new stage's clock starts at the move: nothing is overdue yet.
    await runScheduler(t.ctx);
    expect(await read(draft.id)).toMatchObject({ urgent: false });
    expect(await breachesOf(draft.id)).toEqual([{ state: 'in_review' }]);

    // Approval has three business days from Wednesday 09:01: due Monday 09:01.
    t.clock.set('2026-11-23T09:01:00Z');
    await runScheduler(t.ctx);
    expect(await read(draft.id)).toMatchObject({ urgent: false });
    t.clock.set('2026-11-23T09:02:00Z');
    await Promise.all([runScheduler(t.ctx), runScheduler(t.ctx)]);
    await runScheduler(t.ctx);
    expect(await read(draft.id)).toMatchObject({ state: 'ready_for_approval', urgent: true });
    expect(await breachesOf(draft.id)).toEqual([
      { state: 'in_review' },
      { state: 'ready_for_approval' },
    ]);
    expect(await auditOf(draft.id, 'invoice.escalate')).toHaveLength(2);
    const escalations = await t.db
      .selectFrom('notification_outbox')
      .select('idempotency_key')
      .where('kind', '=', 'deadline_escalation')
      .where('payload', '@>', JSON.stringify({ invoice: { id: draft.id } }) as never)
      .where('channel', '=', 'in_app')
      .execute();
    expect(escalations).toHaveLength(2);
  });

  it('clears urgent when the exception that held the invoice is waived', async () => {
    t.clock.set('2026-11-16T09:00:00Z');
    const client = await buildClient(t.db);
    await buildActiveGuideline(
      t.db,
      `id: ${client.client_code.toLowerCase()}-terms
client: ${client.client_code}
name: Terms
effective_from: 2026-01-01
rules:
  - { id: long-entry, kind: max_entry_hours, params: { hours: 4 }, severity: block, owner: timekeeper }
`,
      client.id,
    );
    const partner = await buildTimekeeper(t.db, { classification: 'PT' });
    await buildUser(t.db, { roles: ['approver'], timekeeper_id: partner.id });
    const matter = await buildMatter(t.db, {
      client_id: client.id,
      responsible_attorney_id: partner.id,
      billing_partner_id: partner.id,
      billing_coordinator_id: coordinatorUser.id,
      client_matter_id: 'CLM-7',
    });
    const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
    await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
    const entry = await buildReleasedEntry(t.db, {
      matter_id: matter.id,
      timekeeper_id: timekeeper.id,
      hours: '5.00',
    });
    const run = await call('POST', '/bill-runs', await coordinator(), {
      period: '2026-10',
      matter_code: matter.matter_code,
    });
    const id: number = run.json().invoices[0].id;
    expect(await read(id)).toMatchObject({ state: 'exception', urgent: false });

    // An exception has one business day: due Tuesday 09:00.
    t.clock.set('2026-11-17T09:01:00Z');
    await runScheduler(t.ctx);
    expect(await read(id)).toMatchObject({ state: 'exception', urgent: true });

    const exception = await t.db
      .selectFrom('guideline_exception')
      .select(['id', 'version'])
      .where('time_entry_id', '=', entry.id)
      .where('state', '=', 'open')
      .executeTakeFirstOrThrow();
    const waived = await call('POST', `/exceptions/${exception.id}/waive`, await coordinator(), {
      reason: 'client agreed to the long day',
      version: exception.version,
    });
    expect(waived.statusCode).toBe(200);
    expect(await read(id)).toMatchObject({ state: 'draft', urgent: false });
    const moves = await auditOf(id, 'invoice.transition');
    expect(moves.at(-1)).toMatchObject({
      before: { state: 'exception', urgent: true },
      after: { state: 'draft', urgent: false, action: 'clear_exception' },
    });
  });
});
