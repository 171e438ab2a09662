import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  addMatterMember,
  buildActiveGuideline,
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
let coordinatorId: number;
let coordinatorEmail: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  const user = await buildUser(t.db, { roles: ['billing_coordinator'] });
  coordinatorId = user.id;
  coordinatorEmail = user.email;
  coordinator = await signIn(app, user.email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function call(method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
}

const LONG_ENTRY_RULE =
  '{ id: long-entry, kind: max_entry_hours, params: { hours: 4 }, severity: block, owner: timekeeper }';

function guideline(clientCode: string) {
  return `id: ${clientCode.toLowerCase()}-terms
client: ${clientCode}
name: Terms
effective_from: 2026-01-01
rules:
  - ${LONG_ENTRY_RULE}
`;
}

/** A client with one hourly matter (coordinated by the signed-in coordinator) and a 5-hour entry. */
async function setup(options: { guideline: boolean; restricted?: boolean }) {
  const client = await buildClient(t.db);
  if (options.guideline) await buildActiveGuideline(t.db, guideline(client.client_code), client.id);
  const partner = await buildTimekeeper(t.db, { classification: 'PT' });
  const partnerUser = await buildUser(t.db, { roles: ['approver'], timekeeper_id: partner.id });
  const matter = await buildMatter(t.db, {
    client_id: client.id,
    responsible_attorney_id: partner.id,
    billing_coordinator_id: coordinatorId,
    client_matter_id: 'CLM-9',
    restricted: options.restricted ?? false,
  });
  if (options.restricted) {
    await addMatterMember(t.db, matter.id, coordinatorId);
    await addMatterMember(t.db, matter.id, partnerUser.id);
  }
  const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
  const timekeeperUser = await buildUser(t.db, {
    roles: ['timekeeper'],
    timekeeper_id: timekeeper.id,
  });
  await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
  const entry = await buildReleasedEntry(t.db, {
    matter_id: matter.id,
    timekeeper_id: timekeeper.id,
    hours: '5.00',
  });
  const run = await call('POST', '/bill-runs', coordinator, {
    period: '2026-10',
    matter_code: matter.matter_code,
  });
  expect(run.statusCode).toBe(200);
  const id: number = run.json().invoices[0].id;
  return { client, matter, entry, id, partnerUser, timekeeperUser };
}

async function read(id: number) {
  return (await call('GET', `/invoices/${id}`, coordinator)).json();
}

async function move(id: number, cookie: string, to: string, reason?: string) {
  const { version } = await read(id);
  return call('POST', `/invoices/${id}/transitions`, cookie, { to, version, reason });
}

async function stageTrail(id: number) {
  const history = (await call('GET', `/invoices/${id}/history`, coordinator)).json();
  return history.stage_events.map(
    (e: { from_state: string; to_state: string; trigger: string; owner_user_id: number }) => ({
      from: e.from_state,
      to: e.to_state,
      trigger: e.trigger,
      owner: e.owner_user_id,
    }),
  );
}

async function exceptionOf(entryId: number) {
  return t.db
    .selectFrom('guideline_exception')
    .select(['id', 'version', 'state'])
    .where('time_entry_id', '=', entryId)
    .where('state', '=', 'open')
    .executeTakeFirstOrThrow();
}

describe('exception states driven by exceptions', () => {
  it('returns a draft held in exception to draft when its last block is waived, in the same transaction', async () => {
    const s = await setup({ guideline: true });
    expect(await read(s.id)).toMatchObject({
      state: 'exception',
      previous_state: 'draft',
      owner_role: 'timekeeper',
      owner_user_id: s.timekeeperUser.id,
    });
    const exception = await exceptionOf(s.entry.id);
    const waived = await call('POST', `/exceptions/${exception.id}/waive`, coordinator, {
      reason: 'client agreed to the long day',
      version: exception.version,
    });
    expect(waived.statusCode).toBe(200);

    expect(await read(s.id)).toMatchObject({
      state: 'draft',
      previous_state: null,
      owner_role: 'billing_coordinator',
      owner_user_id: coordinatorId,
      rework_count: 0,
    });
    expect(await stageTrail(s.id)).toEqual([
      { from: null, to: 'draft', trigger: 'bill_run', owner: coordinatorId },
      { from: 'draft', to: 'exception', trigger: 'bill_run', owner: s.timekeeperUser.id },
      { from: 'exception', to: 'draft', trigger: 'waive', owner: coordinatorId },
    ]);
    const history = (await call('GET', `/invoices/${s.id}/history`, coordinator)).json();
    const moves = history.audit_events.filter(
      (e: { action: string }) => e.action === 'invoice.transition',
    );
    expect(moves.map((e: { after: { action: string; trigger: string } }) => e.after)).toEqual([
      expect.objectContaining({
        state: 'exception',
        action: 'raise_exception',
        trigger: 'bill_run',
      }),
      expect.objectContaining({ state: 'draft', action: 'clear_exception', trigger: 'waive' }),
    ]);
    // Clear of its block, the draft can go on to review.
    expect((await move(s.id, coordinator, 'in_review')).statusCode).toBe(200);
  });

  it('takes an invoice in review to exception on a recheck and back to review when the entry is fixed', async () => {
    const s = await setup({ guideline: false });
    expect((await move(s.id, coordinator, 'in_review')).statusCode).toBe(200);
    // The client's guideline arrives while the invoice is in review.
    await buildActiveGuideline(t.db, guideline(s.client.client_code), s.client.id);
    const recheck = await call('POST', '/exceptions/recheck', coordinator, {
      from: '2026-10-01',
      to: '2026-10-31',
      client_code: s.client.client_code,
    });
    expect(recheck.statusCode).toBe(200);
    expect(await read(s.id)).toMatchObject({
      state: 'exception',
      previous_state: 'in_review',
      owner_role: 'timekeeper',
      owner_user_id: s.timekeeperUser.id,
    });

    // Exceptions jump the queue, with their age.
    t.clock.advance(3 * 86_400_000);
    coordinator = await signIn(app, coordinatorEmail);
    const list = (await call('GET', `/invoices?limit=500`, coordinator)).json();
    const firstOther = list.items.findIndex((i: { state: string }) => i.state !== 'exception');
    const lastException = list.items.findLastIndex(
      (i: { state: string }) => i.state === 'exception',
    );
    expect(lastException).toBeLessThan(firstOther === -1 ? Infinity : firstOther);
    expect(list.items.find((i: { id: number }) => i.id === s.id)).toMatchObject({
      state: 'exception',
      days_in_stage: 3,
    });

    // Fixing the entry resolves the block at save time and the invoice goes back to review.
    const entry = (await call('GET', `/time-entries/${s.entry.id}`, coordinator)).json();
    const fixed = await call('PATCH', `/time-entries/${s.entry.id}`, coordinator, {
      hours: '3.50',
      version: entry.version,
    });
    expect(fixed.statusCode).toBe(200);
    expect(await read(s.id)).toMatchObject({
      state: 'in_review',
      previous_state: null,
      owner_user_id: coordinatorId,
      rework_count: 0,
    });
    expect(await stageTrail(s.id)).toEqual([
      { from: null, to: 'draft', trigger: 'bill_run', owner: coordinatorId },
      { from: 'draft', to: 'in_review', trigger: 'transition', owner: coordinatorId },
      { from: 'in_review', to: 'exception', trigger: 'recheck', owner: s.timekeeperUser.id },
      { from: 'exception', to: 'in_review', trigger: 'work_check', owner: coordinatorId },
    ]);
  });

  it('pages through the list with exceptions first and no invoice twice', async () => {
    const all = (await call('GET', '/invoices?limit=500', coordinator)).json().items;
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/invoices?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = (await call('GET', url, coordinator)).json();
      seen.push(...page.items.map((i: { id: number }) => i.id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(all.map((i: { id: number }) => i.id));
    expect((await call('GET', '/invoices?cursor=nonsense', coordinator)).statusCode).toBe(400);
  });
});

describe('reassigning a stage owner', () => {
  async function readyForApproval() {
    const s = await setup({ guideline: false });
    expect((await move(s.id, coordinator, 'in_review')).statusCode).toBe(200);
    expect((await move(s.id, coordinator, 'ready_for_approval')).statusCode).toBe(200);
    return s;
  }

  it('hands approval to another approver, who may then sign off; an approver named by neither may not', async () => {
    const s = await readyForApproval();
    const deputy = await buildUser(t.db, { roles: ['approver'] });
    const { version } = await read(s.id);

    const noReason = await call('POST', `/invoices/${s.id}/reassign`, coordinator, {
      user_id: deputy.id,
      reason: '  ',
      version,
    });
    expect(noReason.statusCode).toBe(400);

    const partner = await signIn(app, s.partnerUser.email);
    const byApprover = await call('POST', `/invoices/${s.id}/reassign`, partner, {
      user_id: deputy.id,
      reason: 'on leave',
      version,
    });
    expect(byApprover.statusCode).toBe(403);
    expect(byApprover.json().code).toBe('ROLE_NOT_ALLOWED');

    const done = await call('POST', `/invoices/${s.id}/reassign`, coordinator, {
      user_id: deputy.id,
      reason: 'partner on leave until Monday',
      version,
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      state: 'ready_for_approval',
      owner_user_id: deputy.id,
      version: version + 1,
    });
    const stale = await call('POST', `/invoices/${s.id}/reassign`, coordinator, {
      user_id: s.partnerUser.id,
      reason: 'back',
      version,
    });
    expect(stale.statusCode).toBe(409);

    const history = (await call('GET', `/invoices/${s.id}/history`, coordinator)).json();
    expect(history.stage_events.at(-1)).toMatchObject({
      from_state: 'ready_for_approval',
      to_state: 'ready_for_approval',
      trigger: 'reassign',
      owner_user_id: deputy.id,
      actor_user_id: coordinatorId,
      reason: 'partner on leave until Monday',
    });
    expect(history.audit_events.at(-1)).toMatchObject({
      action: 'invoice.reassign',
      before: { owner_user_id: s.partnerUser.id },
      after: { owner_user_id: deputy.id },
      reason: 'partner on leave until Monday',
    });

    const stranger = await signIn(app, (await buildUser(t.db, { roles: ['approver'] })).email);
    const refused = await move(s.id, stranger, 'approved');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('NOT_STAGE_OWNER');
    const approved = await move(s.id, await signIn(app, deputy.email), 'approved');
    expect(approved.statusCode).toBe(200);
    expect(approved.json().state).toBe('approved');
  });

  it('refuses an owner who cannot see a walled matter', async () => {
    const s = await setup({ guideline: false, restricted: true });
    const outsider = await buildUser(t.db, { roles: ['billing_coordinator'] });
    const { version } = await read(s.id);
    const response = await call('POST', `/invoices/${s.id}/reassign`, coordinator, {
      user_id: outsider.id,
      reason: 'workload',
      version,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('OWNER_NOT_ELIGIBLE');
  });
});
