import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  addMatterMember,
  buildExpense,
  buildMatter,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let cookie: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  cookie = await signIn(app, (await buildUser(t.db, { roles: ['billing_coordinator'] })).email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function call(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, as = cookie) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie: as }, payload });
}

describe('expenses API', () => {
  it('records a draft expense with its amount rounded half-up from quantity × unit cost', async () => {
    const matter = await buildMatter(t.db, { matter_code: 'EX-M1' });
    const response = await call('POST', '/expenses', {
      matter_code: 'EX-M1',
      expense_date: '2026-10-02',
      expense_code: 'E101',
      description: 'Copies',
      quantity: '3',
      unit_cost: '0.125',
    });
    expect(response.statusCode).toBe(400);
    const ok = await call('POST', '/expenses', {
      matter_code: 'EX-M1',
      expense_date: '2026-10-02',
      expense_code: 'E101',
      description: 'Copies',
      quantity: '2.5',
      unit_cost: '0.15',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({
      matter_id: matter.id,
      timekeeper_id: null,
      quantity: '2.50',
      unit_cost: '0.15',
      amount: '0.38',
      status: 'draft',
    });
    const row = await t.db
      .selectFrom('expense')
      .select(['quantity', 'unit_cost_cents', 'amount_cents'])
      .where('id', '=', ok.json().id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ quantity: '2.50', unit_cost_cents: 15, amount_cents: 38 });
  });

  it('answers 400 naming bad fields', async () => {
    const response = await call('POST', '/expenses', {
      matter_code: 'EX-M1',
      expense_date: '2026-10-32',
      expense_code: 'E-101',
      quantity: '0',
      unit_cost: 'free',
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.expense_date',
        'body.expense_code',
        'body.quantity',
        'body.unit_cost',
      ]),
    );
  });

  it('lists with filters and cursor pagination', async () => {
    const matter = await buildMatter(t.db);
    for (const expense_date of ['2026-09-01', '2026-10-01', '2026-10-02', '2026-10-03'])
      await buildExpense(t.db, { matter_id: matter.id, expense_date });
    const base = `/expenses?matter_code=${matter.matter_code}&from=2026-10-01&to=2026-10-31&status=draft&active=true`;
    const first = await call('GET', `${base}&limit=2`);
    expect(first.json().items).toHaveLength(2);
    const second = await call('GET', `${base}&limit=2&cursor=${first.json().next_cursor}`);
    expect(second.json().items.map((e: { expense_date: string }) => e.expense_date)).toEqual([
      '2026-10-03',
    ]);
    expect(second.json().next_cursor).toBeNull();
  });

  it('recomputes the amount on update, refuses a stale version and billed expenses', async () => {
    const expense = await buildExpense(t.db);
    const updated = await call('PATCH', `/expenses/${expense.id}`, {
      version: 1,
      unit_cost: '0.25',
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ quantity: '100.00', amount: '25.00', version: 2 });
    const stale = await call('PATCH', `/expenses/${expense.id}`, { version: 1, quantity: '2' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');
    const billed = await buildExpense(t.db, { status: 'billed', released_at: new Date() });
    const refused = await call('PATCH', `/expenses/${billed.id}`, { version: 1, quantity: '2' });
    expect(refused.json().code).toBe('WORK_ALREADY_BILLED');
    const deactivate = await call('POST', `/expenses/${billed.id}/deactivate`, { version: 1 });
    expect(deactivate.json().code).toBe('WORK_ALREADY_BILLED');
  });

  it('deactivates and releases', async () => {
    const expense = await buildExpense(t.db);
    const released = await call('POST', `/expenses/${expense.id}/release`, { version: 1 });
    expect(released.json()).toMatchObject({ status: 'released', version: 2 });
    const again = await call('POST', `/expenses/${expense.id}/release`, { version: 2 });
    expect(again.json().code).toBe('EXPENSE_NOT_DRAFT');
    const deactivated = await call('POST', `/expenses/${expense.id}/deactivate`, { version: 2 });
    expect(deactivated.json()).toMatchObject({ active: false, version: 3 });
  });
});

describe('expense access', () => {
  it('shows a timekeeper only their own expenses and lets them record only their own', async () => {
    const timekeeper = await buildTimekeeper(t.db);
    const user = await buildUser(t.db, { roles: ['timekeeper'], timekeeper_id: timekeeper.id });
    const tkCookie = await signIn(app, user.email);
    const matter = await buildMatter(t.db, { responsible_attorney_id: timekeeper.id });
    const mine = await buildExpense(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
    const firmWide = await buildExpense(t.db, { matter_id: matter.id });
    const listed = await call(
      'GET',
      `/expenses?matter_code=${matter.matter_code}`,
      undefined,
      tkCookie,
    );
    expect(listed.json().items.map((e: { id: number }) => e.id)).toEqual([mine.id]);
    expect((await call('GET', `/expenses/${firmWide.id}`, undefined, tkCookie)).statusCode).toBe(
      404,
    );

    const own = await call(
      'POST',
      '/expenses',
      { matter_code: matter.matter_code, expense_date: '2026-10-01', unit_cost: '12.00' },
      tkCookie,
    );
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ timekeeper_id: timekeeper.id, amount: '12.00' });
    const other = await buildTimekeeper(t.db);
    const forOther = await call(
      'POST',
      '/expenses',
      {
        matter_code: matter.matter_code,
        timekeeper_code: other.timekeeper_code,
        expense_date: '2026-10-01',
        unit_cost: '12.00',
      },
      tkCookie,
    );
    expect(forOther.statusCode).toBe(403);
  });

  it('hides expenses on a walled matter from non-members', async () => {
    const walled = await buildMatter(t.db, { restricted: true });
    const expense = await buildExpense(t.db, { matter_id: walled.id });
    expect((await call('GET', `/expenses/${expense.id}`)).statusCode).toBe(404);
    expect((await call('GET', `/expenses?matter_code=${walled.matter_code}`)).json().items).toEqual(
      [],
    );
    const member = await buildUser(t.db, { roles: ['billing_coordinator'] });
    await addMatterMember(t.db, walled.id, member.id);
    const memberCookie = await signIn(app, member.email);
    expect((await call('GET', `/expenses/${expense.id}`, undefined, memberCookie)).statusCode).toBe(
      200,
    );
  });
});
