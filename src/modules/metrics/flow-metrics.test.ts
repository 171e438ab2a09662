import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { Actor } from '../../domain/policy.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
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
import { runBillRun } from '../invoices/bill-run.js';
import { transitionInvoice } from '../invoices/transition-invoice.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let t: TestDatabase;
let app: FastifyInstance;
const users: Record<string, { id: number; email: string }> = {};
const actors: Record<string, Actor> = {};
const invoices: Record<string, number> = {};

function actorOf(
  user: { id: number; email: string },
  roles: Actor['roles'],
  tk: number | null = null,
): Actor {
  return {
    userId: String(user.id),
    email: user.email,
    roles,
    timekeeperId: tk === null ? null : String(tk),
    via: 'session',
  };
}

async function move(name: string, actor: Actor, to: string, reason?: string) {
  const { version } = await t.db
    .selectFrom('invoice')
    .select('version')
    .where('id', '=', invoices[name]!)
    .executeTakeFirstOrThrow();
  await transitionInvoice(t.ctx, actor, invoices[name]!, {
    to: to as never,
    version,
    ...(reason === undefined ? {} : { reason }),
  });
}

async function matterWithWork(
  clientId: number,
  options: { practice_area: string; restricted?: boolean; hours?: string },
) {
  const matter = await buildMatter(t.db, {
    client_id: clientId,
    responsible_attorney_id: partnerTk,
    billing_partner_id: partnerTk,
    billing_coordinator_id: users.coordinator!.id,
    client_matter_id: 'CM-1',
    practice_area: options.practice_area,
    restricted: options.restricted ?? false,
  });
  const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
  await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 20000 });
  await buildReleasedEntry(t.db, {
    matter_id: matter.id,
    timekeeper_id: timekeeper.id,
    hours: options.hours ?? '1.00',
  });
  const report = await runBillRun(t.ctx, SYSTEM_ACTOR, {
    period: '2026-10',
    matterCode: matter.matter_code,
  });
  return { matter, invoiceId: report.invoices[0]!.id };
}

let partnerTk: number;

/**
 * FLOW1: invoice A (Litigation) goes draft 1 h, review 2 h, approval 5 h, back to review (rework)
 * 1 h, approval 3 h, approved; invoice B (Corporate) spends 3 h in draft and stays in review.
 * FLOW2: a 5-hour entry against a blocking rule opens an exception. WALL: a walled matter
 * whose invoice only its member sees.
 */
beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  t.clock.set('2026-11-02T09:00:00Z'); // a Monday
  const partner = await buildTimekeeper(t.db, { classification: 'PT' });
  partnerTk = partner.id;
  users.partner = await buildUser(t.db, { roles: ['approver'], timekeeper_id: partner.id });
  users.coordinator = await buildUser(t.db, { roles: ['billing_coordinator'] });
  users.legalOps = await buildUser(t.db, { roles: ['legal_ops'] });
  users.insider = await buildUser(t.db, { roles: ['legal_ops'] });
  users.plainApprover = await buildUser(t.db, { roles: ['approver'] });
  actors.partner = actorOf(users.partner, ['approver'], partner.id);
  actors.coordinator = actorOf(users.coordinator, ['billing_coordinator']);

  const flow1 = await buildClient(t.db, { client_code: 'FLOW1' });
  const flow2 = await buildClient(t.db, { client_code: 'FLOW2' });
  const wall = await buildClient(t.db, { client_code: 'WALL' });
  await buildActiveGuideline(
    t.db,
    `id: flow2-terms
client: FLOW2
name: Terms
effective_from: 2026-01-01
rules:
  - { id: long-entry, kind: max_entry_hours, params: { hours: 4 }, severity: block, owner: timekeeper }
`,
    flow2.id,
  );
  invoices.A = (await matterWithWork(flow1.id, { practice_area: 'Litigation' })).invoiceId;
  invoices.B = (await matterWithWork(flow1.id, { practice_area: 'Corporate' })).invoiceId;
  invoices.X = (
    await matterWithWork(flow2.id, { practice_area: 'Litigation', hours: '5.00' })
  ).invoiceId;
  const walled = await matterWithWork(wall.id, { practice_area: 'Litigation', restricted: true });
  invoices.W = walled.invoiceId;
  await addMatterMember(t.db, walled.matter.id, users.insider.id);
  await addMatterMember(t.db, walled.matter.id, users.coordinator.id);

  t.clock.advance(1 * HOUR);
  await move('A', actors.coordinator, 'in_review');
  await move('W', actors.coordinator, 'in_review');
  t.clock.advance(2 * HOUR);
  await move('A', actors.coordinator, 'ready_for_approval');
  await move('B', actors.coordinator, 'in_review');
  t.clock.advance(5 * HOUR);
  await move('A', actors.partner, 'in_review', 'narratives too vague');
  t.clock.advance(1 * HOUR);
  await move('A', actors.coordinator, 'ready_for_approval');
  t.clock.advance(3 * HOUR);
  await move('A', actors.partner, 'approved');
  // Four days later: B has waited in review for 4 days, A in approved for 4 days.
  t.clock.advance(4 * DAY);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

async function metrics(email: string, query: string) {
  const cookie = await signIn(app, email);
  return app.inject({ method: 'GET', url: `/api/v1/metrics/flow?${query}`, headers: { cookie } });
}

const PERIOD = 'from=2026-11-01&to=2026-11-30';

describe('GET /api/v1/metrics/flow', () => {
  it('computes cycle time by stage, rework and aging exactly from the stage events', async () => {
    const response = await metrics(users.legalOps!.email, `${PERIOD}&client_code=FLOW1`);
    if (response.statusCode !== 200) console.log('DEBUG', response.body);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.period).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(body.cycle_time).toEqual([
      // A: 1 h, B: 3 h (nearest-rank percentiles: the median is the lower of two values)
      { stage: 'draft', visits: 2, median_seconds: 3600, p90_seconds: 10800 },
      // A: 2 h then 1 h after the rework
      { stage: 'in_review', visits: 2, median_seconds: 3600, p90_seconds: 7200 },
      // A: 5 h, then 3 h
      { stage: 'ready_for_approval', visits: 2, median_seconds: 10800, p90_seconds: 18000 },
    ]);
    // Every visit ended in the week of Monday 2 November: the trend has that one week.
    expect(body.cycle_time_trend).toEqual({
      interval: 'week',
      series: body.cycle_time.map((row: object) => ({ period_start: '2026-11-02', ...row })),
    });
    expect(body.rework).toEqual({
      invoices: 2,
      invoices_with_rework: 1,
      rate: 0.5,
      moves: 6,
      rework_moves: 1,
      by_move: [{ from_state: 'ready_for_approval', to_state: 'in_review', count: 1 }],
      by_reason: [{ reason: 'narratives too vague', count: 1 }],
    });
    const owners = body.aging.owners;
    expect(body.aging.buckets).toEqual(['days_0_2', 'days_3_5', 'days_6_10', 'over_10']);
    expect(owners).toContainEqual(
      expect.objectContaining({ owner_user_id: users.coordinator!.id, days_3_5: 1, invoices: 1 }),
    );
    // A is approved: legal ops (the first active legal ops user) owns it, 4 days in.
    expect(owners).toContainEqual(
      expect.objectContaining({
        days_3_5: 1,
        invoices: 1,
        owner_user_id: users.legalOps!.id,
      }),
    );
    expect(owners.reduce((n: number, o: { invoices: number }) => n + o.invoices, 0)).toBe(2);
  });

  it('filters by practice area and by period', async () => {
    const corporate = (
      await metrics(users.legalOps!.email, `${PERIOD}&client_code=FLOW1&practice_area=Corporate`)
    ).json();
    expect(corporate.cycle_time).toEqual([
      { stage: 'draft', visits: 1, median_seconds: 10800, p90_seconds: 10800 },
    ]);
    expect(corporate.rework).toMatchObject({ invoices: 1, invoices_with_rework: 0, rate: 0 });
    const october = (
      await metrics(users.legalOps!.email, 'from=2026-10-01&to=2026-10-31&client_code=FLOW1')
    ).json();
    expect(october.cycle_time).toEqual([]);
    expect(october.rework).toMatchObject({ invoices: 0, rate: 0 });
  });

  it('counts exceptions by interval, rule and kind', async () => {
    const body = (await metrics(users.legalOps!.email, `${PERIOD}&client_code=FLOW2`)).json();
    expect(body.exceptions).toEqual({
      interval: 'week',
      series: [
        {
          period_start: '2026-11-02',
          rule_id: 'long-entry',
          rule_kind: 'max_entry_hours',
          opened: 1,
          blocking: 1,
          resolved: 0,
          waived: 0,
          still_open: 1,
        },
      ],
    });
    // X has been held in exception since the bill run, owned by nobody with a login.
    expect(body.aging.owners).toEqual([
      expect.objectContaining({ owner_user_id: null, days_3_5: 1, invoices: 1 }),
    ]);
    const monthly = (
      await metrics(users.legalOps!.email, `${PERIOD}&client_code=FLOW2&interval=month`)
    ).json();
    expect(monthly.exceptions.series[0].period_start).toBe('2026-11-01');
  });

  it('counts walled matters only for their members', async () => {
    const outsider = (await metrics(users.legalOps!.email, `${PERIOD}&client_code=WALL`)).json();
    expect(outsider.rework.invoices).toBe(0);
    expect(outsider.cycle_time).toEqual([]);
    const insider = (await metrics(users.insider!.email, `${PERIOD}&client_code=WALL`)).json();
    expect(insider.rework.invoices).toBe(1);
    expect(insider.cycle_time).toEqual([
      { stage: 'draft', visits: 1, median_seconds: 3600, p90_seconds: 3600 },
    ]);
  });

  it('lets billing partners in, keeps other approvers and coordinators out, and checks the period', async () => {
    expect((await metrics(users.partner!.email, PERIOD)).statusCode).toBe(200);
    const approver = await metrics(users.plainApprover!.email, PERIOD);
    expect(approver.statusCode).toBe(403);
    expect((await metrics(users.coordinator!.email, PERIOD)).statusCode).toBe(403);
    const backwards = await metrics(users.legalOps!.email, 'from=2026-11-30&to=2026-11-01');
    expect(backwards.statusCode).toBe(400);
    expect((await metrics(users.legalOps!.email, 'from=2026-02-30')).statusCode).toBe(400);
  });

  it('offers as filters only the clients and practice areas of matters the user may see', async () => {
    const filters = (email: string) =>
      signIn(app, email).then((cookie) =>
        app.inject({ method: 'GET', url: '/api/v1/metrics/filters', headers: { cookie } }),
      );
    const outsider = await filters(users.legalOps!.email);
    expect(outsider.statusCode).toBe(200);
    expect(outsider.json()).toEqual({
      clients: [
        { client_code: 'FLOW1', name: expect.any(String) },
        { client_code: 'FLOW2', name: expect.any(String) },
      ],
      practice_areas: ['Corporate', 'Litigation'],
    });
    const insider = (await filters(users.insider!.email)).json();
    expect(insider.clients.map((c: { client_code: string }) => c.client_code)).toEqual([
      'FLOW1',
      'FLOW2',
      'WALL',
    ]);
    expect((await filters(users.coordinator!.email)).statusCode).toBe(403);
    expect((await filters(users.plainApprover!.email)).statusCode).toBe(403);
  });

  // Last: it moves B on, a week later.
  it('trends cycle time by the interval each visit ended in', async () => {
    t.clock.advance(3 * DAY); // Monday 9 November, 21:00
    await move('B', actors.coordinator!, 'ready_for_approval');
    const weekly = (await metrics(users.legalOps!.email, `${PERIOD}&client_code=FLOW1`)).json();
    const secondWeek = weekly.cycle_time_trend.series.filter(
      (row: { period_start: string }) => row.period_start === '2026-11-09',
    );
    // B sat in review from 2 November 12:00 to 9 November 21:00: 7 days 9 hours.
    expect(secondWeek).toEqual([
      {
        period_start: '2026-11-09',
        stage: 'in_review',
        visits: 1,
        median_seconds: 637200,
        p90_seconds: 637200,
      },
    ]);
    expect(weekly.cycle_time_trend.series).toHaveLength(4);
    const monthly = (
      await metrics(users.legalOps!.email, `${PERIOD}&client_code=FLOW1&interval=month`)
    ).json();
    expect(monthly.cycle_time_trend).toEqual({
      interval: 'month',
      series: [
        {
          period_start: '2026-11-01',
          stage: 'draft',
          visits: 2,
          median_seconds: 3600,
          p90_seconds: 10800,
        },
        // 1 h, 2 h and 7 days 9 h: nearest rank, the 2nd and the 3rd.
        {
          period_start: '2026-11-01',
          stage: 'in_review',
          visits: 3,
          median_seconds: 7200,
          p90_seconds: 637200,
        },
        {
          period_start: '2026-11-01',
          stage: 'ready_for_approval',
          visits: 2,
          median_seconds: 10800,
          p90_seconds: 18000,
        },
      ],
    });
  });
});
