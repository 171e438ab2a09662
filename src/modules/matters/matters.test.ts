import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  addMatterMember,
  buildClient,
  buildMatter,
  buildTimeEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let adminCookie: string;
let opsCookie: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  adminCookie = await signIn(app, (await buildUser(t.db, { roles: ['admin'] })).email);
  opsCookie = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function call(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  cookie: string,
  payload?: object,
) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
}

describe('matters API', () => {
  it('creates a matter from codes and money strings and returns both ids and codes', async () => {
    const client = await buildClient(t.db, { client_code: 'ACME' });
    const attorney = await buildTimekeeper(t.db, { timekeeper_code: 'RA1', classification: 'PT' });
    const partner = await buildTimekeeper(t.db, { timekeeper_code: 'BP1', classification: 'PT' });
    const coordinator = await buildUser(t.db, {
      roles: ['billing_coordinator'],
      email: 'bc1@firm.test',
    });
    const response = await call('POST', '/matters', opsCookie, {
      matter_code: 'ACME-001',
      client_code: 'ACME',
      name: 'Acme v. Widget',
      practice_area: 'Litigation',
      fee_arrangement: 'capped',
      fee_amount: '12500.00',
      budget: '50000',
      responsible_attorney: 'RA1',
      billing_partner: 'BP1',
      billing_coordinator: 'BC1@firm.test',
      opened_on: '2026-03-01',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      matter_code: 'ACME-001',
      client_id: client.id,
      client_code: 'ACME',
      fee_amount: '12500.00',
      budget: '50000.00',
      currency: 'USD',
      responsible_attorney_id: attorney.id,
      responsible_attorney: 'RA1',
      billing_partner_id: partner.id,
      billing_partner: 'BP1',
      billing_coordinator_id: coordinator.id,
      billing_coordinator: 'bc1@firm.test',
      status: 'open',
      restricted: false,
      version: 1,
    });
    const row = await t.db
      .selectFrom('matter')
      .select(['fee_amount_cents', 'budget_cents'])
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ fee_amount_cents: 1250000, budget_cents: 5000000 });
    const audit = await t.db
      .selectFrom('audit_event')
      .select('action')
      .where('entity_type', '=', 'matter')
      .where('entity_id', '=', String(body.id))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['matter.create']);
  });

  it('answers 400 naming every unknown code and a fee amount the arrangement does not allow', async () => {
    const response = await call('POST', '/matters', opsCookie, {
      matter_code: 'X-1',
      client_code: 'NOPE',
      name: 'X',
      practice_area: 'Tax',
      fee_amount: '100.00',
      responsible_attorney: 'NOBODY',
      billing_coordinator: 'ghost@firm.test',
      opened_on: '2026-01-01',
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'client_code',
        'responsible_attorney',
        'billing_partner',
        'billing_coordinator',
        'fee_amount',
      ]),
    );
  });

  it('answers 400 naming malformed money and dates', async () => {
    const response = await call('POST', '/matters', opsCookie, {
      matter_code: 'bad code',
      client_code: 'C',
      name: 'X',
      practice_area: 'Tax',
      fee_arrangement: 'flat',
      fee_amount: '12.345',
      responsible_attorney: 'RA1',
      opened_on: '2026-02-30',
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining(['body.matter_code', 'body.fee_amount', 'body.opened_on']),
    );
  });

  it('lists with filters and cursor pagination', async () => {
    const client = await buildClient(t.db, { client_code: 'PAGE' });
    for (let i = 0; i < 3; i++)
      await buildMatter(t.db, { client_id: client.id, practice_area: 'Antitrust' });
    await buildMatter(t.db, { client_id: client.id, practice_area: 'Tax' });
    const first = await call(
      'GET',
      '/matters?client_code=PAGE&practice_area=Antitrust&limit=2',
      opsCookie,
    );
    expect(first.statusCode).toBe(200);
    expect(first.json().items).toHaveLength(2);
    const cursor = first.json().next_cursor as string;
    expect(cursor).toBeTruthy();
    const second = await call(
      'GET',
      `/matters?client_code=PAGE&practice_area=Antitrust&limit=2&cursor=${cursor}`,
      opsCookie,
    );
    expect(second.json().items).toHaveLength(1);
    expect(second.json().next_cursor).toBeNull();
    const byId = await call('GET', `/matters?client_id=${client.id}&practice_area=Tax`, opsCookie);
    expect(byId.json().items).toHaveLength(1);
  });

  it('updates with the current version and refuses a stale one with 409', async () => {
    const matter = await buildMatter(t.db);
    const updated = await call('PATCH', `/matters/${matter.id}`, opsCookie, {
      version: 1,
      name: 'Renamed',
      fee_arrangement: 'flat',
      fee_amount: '9000',
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ name: 'Renamed', fee_amount: '9000.00', version: 2 });
    const stale = await call('PATCH', `/matters/${matter.id}`, opsCookie, {
      version: 1,
      name: 'Y',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');
    const row = await t.db
      .selectFrom('matter')
      .select('name')
      .where('id', '=', matter.id)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('Renamed');
  });

  it('refuses to close a matter without a closing date', async () => {
    const matter = await buildMatter(t.db);
    const response = await call('PATCH', `/matters/${matter.id}`, opsCookie, {
      version: 1,
      status: 'closed',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().details.issues[0].field).toBe('closed_on');
  });

  it('deactivates a matter', async () => {
    const matter = await buildMatter(t.db);
    const response = await call('POST', `/matters/${matter.id}/deactivate`, opsCookie, {
      version: 1,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ active: false, version: 2 });
    const inactive = await call('GET', `/matters?active=false&q=${matter.matter_code}`, opsCookie);
    expect(inactive.json().items.map((m: { id: number }) => m.id)).toEqual([matter.id]);
  });

  it('forbids roles without the grant', async () => {
    const approver = await buildUser(t.db, { roles: ['approver'] });
    const cookie = await signIn(app, approver.email);
    const matter = await buildMatter(t.db);
    const response = await call('POST', `/matters/${matter.id}/deactivate`, cookie, { version: 1 });
    expect(response.statusCode).toBe(403);
  });
});

describe('ethical walls', () => {
  it('hides a restricted matter from non-members (404, absent from lists) and shows it to members', async () => {
    const client = await buildClient(t.db, { client_code: 'WALL' });
    const walled = await buildMatter(t.db, { client_id: client.id, restricted: true });
    const open = await buildMatter(t.db, { client_id: client.id });
    const member = await buildUser(t.db, { roles: ['legal_ops'] });
    await addMatterMember(t.db, walled.id, member.id);
    const memberCookie = await signIn(app, member.email);

    expect((await call('GET', `/matters/${walled.id}`, opsCookie)).statusCode).toBe(404);
    const listed = await call('GET', '/matters?client_code=WALL', opsCookie);
    expect(listed.json().items.map((m: { id: number }) => m.id)).toEqual([open.id]);
    const patched = await call('PATCH', `/matters/${walled.id}`, opsCookie, {
      version: 1,
      name: 'x',
    });
    expect(patched.statusCode).toBe(404);

    expect((await call('GET', `/matters/${walled.id}`, memberCookie)).statusCode).toBe(200);
    const memberList = await call('GET', '/matters?client_code=WALL', memberCookie);
    expect(memberList.json().items.map((m: { id: number }) => m.id)).toEqual([walled.id, open.id]);
  });

  it('lets an admin see walled matters in lists and manage their members', async () => {
    const walled = await buildMatter(t.db, { restricted: true });
    const user = await buildUser(t.db, { roles: ['billing_coordinator'] });
    const cookie = await signIn(app, user.email);
    expect((await call('GET', `/matters/${walled.id}`, adminCookie)).statusCode).toBe(200);
    expect((await call('GET', `/matters/${walled.id}`, cookie)).statusCode).toBe(404);

    const added = await call('PUT', `/matters/${walled.id}/members/${user.id}`, adminCookie);
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ user_id: user.id, email: user.email });
    expect((await call('GET', `/matters/${walled.id}`, cookie)).statusCode).toBe(200);
    const members = await call('GET', `/matters/${walled.id}/members`, adminCookie);
    expect(members.json().items.map((m: { user_id: number }) => m.user_id)).toEqual([user.id]);

    expect((await call('PUT', `/matters/${walled.id}/members/${user.id}`, cookie)).statusCode).toBe(
      403,
    );
    const removed = await call('DELETE', `/matters/${walled.id}/members/${user.id}`, adminCookie);
    expect(removed.statusCode).toBe(204);
    expect((await call('GET', `/matters/${walled.id}`, cookie)).statusCode).toBe(404);
    const rows = await t.db
      .selectFrom('matter_member')
      .selectAll()
      .where('matter_id', '=', walled.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('keeps a non-admin who walls off a matter inside the wall', async () => {
    const matter = await buildMatter(t.db);
    const response = await call('PATCH', `/matters/${matter.id}`, opsCookie, {
      version: 1,
      restricted: true,
    });
    expect(response.statusCode).toBe(200);
    expect((await call('GET', `/matters/${matter.id}`, opsCookie)).statusCode).toBe(200);
  });

  it('shows a timekeeper only the matters they work on', async () => {
    const timekeeper = await buildTimekeeper(t.db);
    const user = await buildUser(t.db, { roles: ['timekeeper'], timekeeper_id: timekeeper.id });
    const cookie = await signIn(app, user.email);
    const client = await buildClient(t.db, { client_code: 'TKVIS' });
    const approved = await buildMatter(t.db, { client_id: client.id });
    await t.db
      .insertInto('matter_timekeeper')
      .values({ matter_id: approved.id, timekeeper_id: timekeeper.id })
      .execute();
    const responsible = await buildMatter(t.db, {
      client_id: client.id,
      responsible_attorney_id: timekeeper.id,
    });
    const worked = await buildMatter(t.db, { client_id: client.id });
    await buildTimeEntry(t.db, { matter_id: worked.id, timekeeper_id: timekeeper.id });
    const other = await buildMatter(t.db, { client_id: client.id });

    const listed = await call('GET', '/matters?client_code=TKVIS', cookie);
    expect(listed.json().items.map((m: { id: number }) => m.id)).toEqual([
      approved.id,
      responsible.id,
      worked.id,
    ]);
    expect((await call('GET', `/matters/${other.id}`, cookie)).statusCode).toBe(404);
  });
});
