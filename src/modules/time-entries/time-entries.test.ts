import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  addMatterMember,
  buildMatter,
  buildTimeEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinatorCookie: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  coordinatorCookie = await signIn(
    app,
    (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
  );
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function call(method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
}

/** A timekeeper with a signed-in user who holds only the timekeeper role. */
async function timekeeperUser() {
  const timekeeper = await buildTimekeeper(t.db);
  const user = await buildUser(t.db, { roles: ['timekeeper'], timekeeper_id: timekeeper.id });
  return { timekeeper, user, cookie: await signIn(app, user.email) };
}

describe('time entries API', () => {
  it('records a draft entry from codes and returns hours as a decimal string', async () => {
    const matter = await buildMatter(t.db, { matter_code: 'TE-M1' });
    const timekeeper = await buildTimekeeper(t.db, { timekeeper_code: 'TE-TK1' });
    const response = await call('POST', '/time-entries', coordinatorCookie, {
      entry_id: 'EXT-1',
      matter_code: 'TE-M1',
      timekeeper_code: 'TE-TK1',
      work_date: '2026-10-01',
      hours: '1.5',
      narrative: 'Review production',
      task_code: 'L110',
      activity_code: 'A104',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      entry_id: 'EXT-1',
      matter_id: matter.id,
      matter_code: 'TE-M1',
      timekeeper_id: timekeeper.id,
      timekeeper_code: 'TE-TK1',
      hours: '1.50',
      status: 'draft',
      billable: true,
      rate: null,
      amount: null,
      version: 1,
    });
    const row = await t.db
      .selectFrom('time_entry')
      .select(['hours', 'status', 'rate_cents'])
      .where('entry_id', '=', 'EXT-1')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ hours: '1.50', status: 'draft', rate_cents: null });
  });

  it('answers 400 naming bad hours, codes and dates', async () => {
    const response = await call('POST', '/time-entries', coordinatorCookie, {
      matter_code: 'TE-M1',
      work_date: '2026-13-01',
      hours: '24.01',
      task_code: 'L-110',
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining(['body.work_date', 'body.hours', 'body.task_code']),
    );
    for (const hours of ['0', '1.255', 'abc']) {
      const bad = await call('POST', '/time-entries', coordinatorCookie, {
        matter_code: 'TE-M1',
        work_date: '2026-10-01',
        hours,
      });
      expect(bad.json().details.issues[0].field).toBe('body.hours');
    }
  });

  it('answers 400 for an unknown timekeeper and 404 for an unknown matter, naming the field', async () => {
    await buildMatter(t.db, { matter_code: 'TE-M2' });
    const unknownTimekeeper = await call('POST', '/time-entries', coordinatorCookie, {
      matter_code: 'TE-M2',
      timekeeper_code: 'NOBODY',
      work_date: '2026-10-01',
      hours: '1',
    });
    expect(unknownTimekeeper.statusCode).toBe(400);
    expect(unknownTimekeeper.json().details.issues[0].field).toBe('timekeeper_code');
    const unknownMatter = await call('POST', '/time-entries', coordinatorCookie, {
      matter_code: 'NO-SUCH',
      timekeeper_code: 'TE-TK1',
      work_date: '2026-10-01',
      hours: '1',
    });
    expect(unknownMatter.statusCode).toBe(404);
    expect(unknownMatter.json().details.issues[0].field).toBe('matter_code');
  });

  it('lists with filters and cursor pagination', async () => {
    const matter = await buildMatter(t.db);
    const timekeeper = await buildTimekeeper(t.db);
    for (const work_date of ['2026-09-30', '2026-10-01', '2026-10-02', '2026-10-03'])
      await buildTimeEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id, work_date });
    const base = `/time-entries?matter_code=${matter.matter_code}&timekeeper_code=${timekeeper.timekeeper_code}&from=2026-10-01&to=2026-10-03&status=draft`;
    const first = await call('GET', `${base}&limit=2`, coordinatorCookie);
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((e: { work_date: string }) => e.work_date)).toEqual([
      '2026-10-01',
      '2026-10-02',
    ]);
    const second = await call(
      'GET',
      `${base}&limit=2&cursor=${first.json().next_cursor}`,
      coordinatorCookie,
    );
    expect(second.json().items.map((e: { work_date: string }) => e.work_date)).toEqual([
      '2026-10-03',
    ]);
    expect(second.json().next_cursor).toBeNull();
  });

  it('updates with the current version, refuses a stale one and refuses billed work', async () => {
    const entry = await buildTimeEntry(t.db);
    const updated = await call('PATCH', `/time-entries/${entry.id}`, coordinatorCookie, {
      version: 1,
      hours: '2.25',
      narrative: 'Revised narrative',
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      hours: '2.25',
      narrative: 'Revised narrative',
      version: 2,
    });
    const stale = await call('PATCH', `/time-entries/${entry.id}`, coordinatorCookie, {
      version: 1,
      hours: '3',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');

    const billed = await buildTimeEntry(t.db, { status: 'billed', released_at: new Date() });
    const refused = await call('PATCH', `/time-entries/${billed.id}`, coordinatorCookie, {
      version: 1,
      hours: '3',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('WORK_ALREADY_BILLED');
    const deactivate = await call(
      'POST',
      `/time-entries/${billed.id}/deactivate`,
      coordinatorCookie,
      {
        version: 1,
      },
    );
    expect(deactivate.json().code).toBe('WORK_ALREADY_BILLED');
    const row = await t.db
      .selectFrom('time_entry')
      .select(['hours', 'active'])
      .where('id', '=', billed.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ hours: '1.50', active: true });
  });

  it('deactivates an entry', async () => {
    const entry = await buildTimeEntry(t.db);
    const response = await call('POST', `/time-entries/${entry.id}/deactivate`, coordinatorCookie, {
      version: 1,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ active: false, version: 2 });
  });

  it('releases a draft once, stamping the release time', async () => {
    const entry = await buildTimeEntry(t.db);
    const released = await call('POST', `/time-entries/${entry.id}/release`, coordinatorCookie, {
      version: 1,
    });
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({ status: 'released', version: 2 });
    const row = await t.db
      .selectFrom('time_entry')
      .select(['status', 'released_at'])
      .where('id', '=', entry.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'released', released_at: t.clock.now() });
    const again = await call('POST', `/time-entries/${entry.id}/release`, coordinatorCookie, {
      version: 2,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('TIME_ENTRY_NOT_DRAFT');
  });
});

describe('time entry access', () => {
  it('shows a timekeeper only their own entries', async () => {
    const me = await timekeeperUser();
    const matter = await buildMatter(t.db);
    const mine = await buildTimeEntry(t.db, {
      matter_id: matter.id,
      timekeeper_id: me.timekeeper.id,
    });
    const theirs = await buildTimeEntry(t.db, { matter_id: matter.id });
    const listed = await call('GET', `/time-entries?matter_code=${matter.matter_code}`, me.cookie);
    expect(listed.json().items.map((e: { id: number }) => e.id)).toEqual([mine.id]);
    expect((await call('GET', `/time-entries/${theirs.id}`, me.cookie)).statusCode).toBe(404);
    const edit = await call('PATCH', `/time-entries/${theirs.id}`, me.cookie, {
      version: 1,
      hours: '1',
    });
    expect(edit.statusCode).toBe(404);
    const all = await call(
      'GET',
      `/time-entries?matter_code=${matter.matter_code}`,
      coordinatorCookie,
    );
    expect(all.json().items).toHaveLength(2);
  });

  it('lets a timekeeper record their own time on a matter they are approved on, and no one else’s', async () => {
    const me = await timekeeperUser();
    const other = await buildTimekeeper(t.db);
    const matter = await buildMatter(t.db);
    await t.db
      .insertInto('matter_timekeeper')
      .values({ matter_id: matter.id, timekeeper_id: me.timekeeper.id })
      .execute();
    const own = await call('POST', '/time-entries', me.cookie, {
      matter_code: matter.matter_code,
      work_date: '2026-10-05',
      hours: '0.5',
    });
    expect(own.statusCode).toBe(201);
    expect(own.json().timekeeper_id).toBe(me.timekeeper.id);
    const forOther = await call('POST', '/time-entries', me.cookie, {
      matter_code: matter.matter_code,
      timekeeper_code: other.timekeeper_code,
      work_date: '2026-10-05',
      hours: '0.5',
    });
    expect(forOther.statusCode).toBe(403);
    const unrelated = await buildMatter(t.db);
    const hidden = await call('POST', '/time-entries', me.cookie, {
      matter_code: unrelated.matter_code,
      work_date: '2026-10-05',
      hours: '0.5',
    });
    expect(hidden.statusCode).toBe(404);
    const count = await t.db
      .selectFrom('time_entry')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('timekeeper_id', 'in', [me.timekeeper.id, other.id])
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('hides work on a walled matter from non-members of every role, admins included', async () => {
    const walled = await buildMatter(t.db, { restricted: true });
    const entry = await buildTimeEntry(t.db, { matter_id: walled.id });
    const admin = await buildUser(t.db, { roles: ['admin'] });
    const adminCookie = await signIn(app, admin.email);
    expect((await call('GET', `/time-entries/${entry.id}`, adminCookie)).statusCode).toBe(404);
    expect((await call('GET', `/time-entries/${entry.id}`, coordinatorCookie)).statusCode).toBe(
      404,
    );
    const listed = await call(
      'GET',
      `/time-entries?matter_code=${walled.matter_code}`,
      coordinatorCookie,
    );
    expect(listed.json().items).toEqual([]);
    const write = await call('POST', '/time-entries', coordinatorCookie, {
      matter_code: walled.matter_code,
      timekeeper_code: 'TE-TK1',
      work_date: '2026-10-01',
      hours: '1',
    });
    expect(write.statusCode).toBe(404);

    const member = await buildUser(t.db, { roles: ['billing_coordinator'] });
    await addMatterMember(t.db, walled.id, member.id);
    const memberCookie = await signIn(app, member.email);
    expect((await call('GET', `/time-entries/${entry.id}`, memberCookie)).statusCode).toBe(200);
  });
});
