import type { FastifyInstance } from 'fastify';
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
import { runScheduler } from '../notifications/scheduler.js';
import { stageSlasOf } from './stage-slas.service.js';

let t: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  t = await openTestDatabase();
  t.ctx.notifications = await testNotificationSettings();
  app = await buildApp({ ctx: t.ctx });
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function call(method: 'GET' | 'PUT' | 'POST', url: string, cookie: string, payload?: object) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
}

const as = async (role: 'admin' | 'billing_coordinator' | 'timekeeper') =>
  signIn(app, (await buildUser(t.db, { roles: [role] })).email);

describe('stage SLAs', () => {
  it('start as the defaults, readable by the billing side, not by timekeepers', async () => {
    const coordinator = await as('billing_coordinator');
    const read = await call('GET', '/settings/stage-slas', coordinator);
    expect(read.statusCode).toBe(200);
    const body = read.json();
    expect(body.version).toBe(1);
    expect(body.items.map((i: { stage: string }) => i.stage)).not.toContain('paid');
    expect(body.items.find((i: { stage: string }) => i.stage === 'ready_for_approval')).toEqual({
      stage: 'ready_for_approval',
      unit: 'business_days',
      amount: 3,
      default_unit: 'business_days',
      default_amount: 3,
    });
    expect(body.items.find((i: { stage: string }) => i.stage === 'accepted')).toMatchObject({
      unit: 'hours',
      amount: 720,
    });
    expect((await call('GET', '/settings/stage-slas', await as('timekeeper'))).statusCode).toBe(
      403,
    );
  });

  it('lets admins change them under a version, says where a value is wrong, and audits', async () => {
    const admin = await as('admin');
    const coordinator = await as('billing_coordinator');
    const change = {
      version: 1,
      items: [
        { stage: 'draft', unit: 'hours', amount: 36 },
        { stage: 'on_hold', unit: 'none', amount: null },
      ],
    };
    expect((await call('PUT', '/settings/stage-slas', coordinator, change)).statusCode).toBe(403);
    const bad = await call('PUT', '/settings/stage-slas', admin, {
      version: 1,
      items: [
        { stage: 'draft', unit: 'business_days', amount: 0 },
        { stage: 'draft', unit: 'hours', amount: 9000 },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad.json().details.issues.map((i: { field: string }) => i.field.replace(/^body\./, '')),
    ).toEqual(expect.arrayContaining(['items.0.amount', 'items.1.stage', 'items.1.amount']));
    expect(
      (
        await call('PUT', '/settings/stage-slas', admin, {
          version: 1,
          items: [{ stage: 'paid', unit: 'hours', amount: 1 }],
        })
      ).statusCode,
    ).toBe(400);

    const saved = await call('PUT', '/settings/stage-slas', admin, change);
    expect(saved.statusCode).toBe(200);
    expect(saved.json().version).toBe(2);
    expect(saved.json().items.find((i: { stage: string }) => i.stage === 'draft')).toMatchObject({
      unit: 'hours',
      amount: 36,
      default_unit: 'business_days',
      default_amount: 2,
    });
    const slas = await stageSlasOf(t.db);
    expect(slas.draft).toEqual({ hours: 36 });
    expect(slas.on_hold).toBeNull();
    expect(slas.in_review).toEqual({ businessDays: 2 });
    expect(slas.paid).toBeNull();

    const stale = await call('PUT', '/settings/stage-slas', admin, change);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');

    const audit = await t.db
      .selectFrom('audit_event')
      .select(['action', 'before', 'after'])
      .where('entity_type', '=', 'stage_sla')
      .execute();
    expect(audit).toEqual([
      {
        action: 'stage_sla.update',
        before: {
          version: 1,
          draft: { unit: 'business_days', amount: 2 },
          on_hold: { unit: 'business_days', amount: 10 },
        },
        after: {
          version: 2,
          draft: { unit: 'hours', amount: 36 },
          on_hold: { unit: 'none', amount: null },
        },
      },
    ]);
  });

  it('drives escalations: a shorter approval SLA escalates an invoice sooner', async () => {
    t.clock.set('2026-11-16T09:00:00Z'); // a Monday
    const coordinator = await as('billing_coordinator');
    const admin = await as('admin');
    const client = await buildClient(t.db);
    const attorney = await buildTimekeeper(t.db, { classification: 'PT' });
    const partner = await buildTimekeeper(t.db, { classification: 'PT' });
    await buildUser(t.db, { roles: ['approver'], timekeeper_id: attorney.id });
    const partnerUser = await buildUser(t.db, { roles: ['approver'], timekeeper_id: partner.id });
    const matter = await buildMatter(t.db, {
      client_id: client.id,
      responsible_attorney_id: attorney.id,
      billing_partner_id: partner.id,
      client_matter_id: 'CLM-SLA',
    });
    const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
    await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
    await buildReleasedEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
    const run = await call('POST', '/bill-runs', coordinator, {
      period: '2026-10',
      matter_code: matter.matter_code,
    });
    const id: number = run.json().invoices[0].id;
    for (const to of ['in_review', 'ready_for_approval']) {
      const { version } = (await call('GET', `/invoices/${id}`, coordinator)).json();
      await call('POST', `/invoices/${id}/transitions`, coordinator, { to, version });
    }
    const { version } = (await call('GET', '/settings/stage-slas', admin)).json();
    const set = await call('PUT', '/settings/stage-slas', admin, {
      version,
      items: [{ stage: 'ready_for_approval', unit: 'business_days', amount: 1 }],
    });
    expect(set.statusCode).toBe(200);
    const escalations = () =>
      t.db
        .selectFrom('invoice_sla_breach')
        .select(['state', 'deadline', 'escalated_to_user_id'])
        .where('invoice_id', '=', id)
        .execute();

    // One business day: due Tuesday 09:00 UTC (the default three would be Thursday).
    t.clock.set('2026-11-17T09:00:00Z');
    await runScheduler(t.ctx);
    expect(await escalations()).toEqual([]);
    t.clock.set('2026-11-17T09:01:00Z');
    await runScheduler(t.ctx);
    expect(await escalations()).toEqual([
      {
        state: 'ready_for_approval',
        deadline: new Date('2026-11-17T09:00:00Z'),
        escalated_to_user_id: partnerUser.id,
      },
    ]);
  });
});
