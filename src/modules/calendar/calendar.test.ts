import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import { buildUser, signIn } from '../../test/factories.js';
import { billedDraft, caller } from '../../test/invoice-drafts.js';
import { testNotificationSettings } from '../../test/notifications.js';
import { runScheduler } from '../notifications/scheduler.js';

let t: TestDatabase;
let app: FastifyInstance;
let call: ReturnType<typeof caller>;
const emails = { legalOps: '', admin: '', approver: '', timekeeper: '', coordinator: '' };

beforeAll(async () => {
  t = await openTestDatabase();
  // Christmas comes from the environment, as a seed.
  t.ctx.notifications = await testNotificationSettings({ calendar: { holidays: ['2026-12-25'] } });
  app = await buildApp({ ctx: t.ctx });
  call = caller(app);
  emails.legalOps = (await buildUser(t.db, { roles: ['legal_ops'] })).email;
  emails.admin = (await buildUser(t.db, { roles: ['admin'] })).email;
  emails.approver = (await buildUser(t.db, { roles: ['approver'] })).email;
  emails.timekeeper = (await buildUser(t.db, { roles: ['timekeeper'] })).email;
  emails.coordinator = (await buildUser(t.db, { roles: ['billing_coordinator'] })).email;
});
afterAll(async () => {
  await app.close();
  await t.close();
});

/** Signs in at the clock's current time (sessions expire by the clock). */
const as = (who: keyof typeof emails) => signIn(app, emails[who]);

function api(method: 'GET' | 'POST', url: string, cookie: string, payload?: object) {
  return call(method, url, cookie, payload);
}

function remove(date: string, cookie: string) {
  return app.inject({
    method: 'DELETE',
    url: `/api/v1/calendar/holidays/${date}`,
    headers: { cookie },
  });
}

describe('the firm calendar', () => {
  it('lets legal ops and admins add and remove holidays, audited, and others only read', async () => {
    t.clock.set('2026-11-02T10:00:00Z');
    const legalOps = await as('legalOps');
    const added = await api('POST', '/calendar/holidays', legalOps, {
      date: '2026-11-11',
      name: 'Veterans Day',
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ date: '2026-11-11', source: 'database' });

    const again = await api('POST', '/calendar/holidays', await as('admin'), {
      date: '2026-11-11',
      name: 'Twice',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('HOLIDAY_EXISTS');
    const bad = await api('POST', '/calendar/holidays', legalOps, {
      date: '2026-02-30',
      name: 'No such day',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('date');

    expect(
      (
        await api('POST', '/calendar/holidays', await as('approver'), {
          date: '2026-11-12',
          name: 'x',
        })
      ).statusCode,
    ).toBe(403);
    expect((await remove('2026-11-11', await as('coordinator'))).statusCode).toBe(403);
    expect((await api('GET', '/calendar/holidays', await as('timekeeper'))).statusCode).toBe(403);

    const listed = await api('GET', '/calendar/holidays?from=2026-11-01', await as('coordinator'));
    expect(listed.statusCode).toBe(200);
    expect(
      listed.json().items.map((h: { date: string; source: string }) => [h.date, h.source]),
    ).toEqual([
      ['2026-11-11', 'database'],
      ['2026-12-25', 'environment'],
    ]);

    // A day from the environment is changed there, not through the API.
    const seeded = await remove('2026-12-25', legalOps);
    expect(seeded.statusCode).toBe(409);
    expect(seeded.json().code).toBe('HOLIDAY_FROM_ENVIRONMENT');

    expect((await remove('2026-11-11', legalOps)).statusCode).toBe(204);
    expect((await remove('2026-11-11', legalOps)).statusCode).toBe(404);
    const audit = await t.db
      .selectFrom('audit_event')
      .select(['action', 'entity_id', 'before', 'after'])
      .where('entity_type', '=', 'firm_holiday')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      {
        action: 'calendar.holiday_add',
        entity_id: '2026-11-11',
        before: null,
        after: { date: '2026-11-11', name: 'Veterans Day' },
      },
      {
        action: 'calendar.holiday_remove',
        entity_id: '2026-11-11',
        before: { date: '2026-11-11', name: 'Veterans Day' },
        after: null,
      },
    ]);
  });

  it('moves an SLA due date past a holiday added through the API', async () => {
    t.clock.set('2026-11-23T09:00:00Z'); // a Monday
    const coordinator = await as('coordinator');
    const draft = await billedDraft(t, app, coordinator);
    for (const to of ['in_review', 'ready_for_approval']) {
      const { version } = (await api('GET', `/invoices/${draft.id}`, coordinator)).json();
      const moved = await api('POST', `/invoices/${draft.id}/transitions`, coordinator, {
        to,
        version,
      });
      expect(moved.statusCode, moved.body).toBe(200);
    }
    const added = await api('POST', '/calendar/holidays', await as('legalOps'), {
      date: '2026-11-26',
      name: 'Thanksgiving',
    });
    expect(added.statusCode).toBe(201);

    // Three business days from Monday 09:00 would be Thursday 09:00; Thursday is a holiday.
    t.clock.set('2026-11-26T09:01:00Z');
    await runScheduler(t.ctx);
    const breaches = () =>
      t.db
        .selectFrom('invoice_sla_breach')
        .select(['state', 'deadline'])
        .where('invoice_id', '=', draft.id)
        .execute();
    expect(await breaches()).toEqual([]);

    t.clock.set('2026-11-27T09:00:00Z');
    await runScheduler(t.ctx);
    expect(await breaches()).toEqual([]);
    t.clock.set('2026-11-27T09:01:00Z');
    await runScheduler(t.ctx);
    expect(await breaches()).toEqual([
      { state: 'ready_for_approval', deadline: new Date('2026-11-27T09:00:00Z') },
    ]);
  });
});
