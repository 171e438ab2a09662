import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  addMatterMember,
  buildActiveGuideline,
  buildClient,
  buildMatter,
  buildTimeEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';
import { scanWork } from './scan.js';

let t: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function call(cookie: string, method: 'GET' | 'POST', url: string, payload?: object) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
}

async function signedIn(roles: Parameters<typeof buildUser>[1] = {}) {
  const user = await buildUser(t.db, roles);
  return { user, cookie: await signIn(app, user.email) };
}

/** One rule per owner role, all tripped by an entry over 4 hours. */
const OWNERS_GUIDELINE = (client: string) => `
id: ${client.toLowerCase()}-owners
client: ${client}
name: Owners
effective_from: 2026-01-01
rules:
  - { id: by-timekeeper, kind: max_entry_hours, params: { hours: 4 }, severity: block, owner: timekeeper }
  - { id: by-attorney, kind: max_entry_hours, params: { hours: 4 }, severity: warn, owner: responsible_attorney }
  - { id: by-partner, kind: max_entry_hours, params: { hours: 4 }, severity: warn, owner: billing_partner }
  - { id: by-coordinator, kind: max_entry_hours, params: { hours: 4 }, severity: adjust, owner: billing_coordinator }
  - { id: by-legal-ops, kind: max_entry_hours, params: { hours: 4 }, severity: warn, owner: legal_ops }
`;

const recheck = (clientCode: string) =>
  scanWork(
    t.ctx,
    SYSTEM_ACTOR,
    { from: '2026-10-01', to: '2026-10-31', clientCode },
    { sync: true },
  );

const ownersOf = async (entryId: number) =>
  Object.fromEntries(
    (
      await t.db
        .selectFrom('guideline_exception')
        .select(['rule_id', 'owner_user_id'])
        .where('time_entry_id', '=', entryId)
        .execute()
    ).map((r) => [r.rule_id, r.owner_user_id]),
  );

describe('guideline exceptions', () => {
  it('assigns each finding to the user who fills the owner role on the matter', async () => {
    const client = await buildClient(t.db, { client_code: 'EX-OWN' });
    await buildActiveGuideline(t.db, OWNERS_GUIDELINE('EX-OWN'), client.id);
    const attorney = await buildTimekeeper(t.db, { classification: 'PT' });
    const partner = await buildTimekeeper(t.db, { classification: 'PT' });
    const keeper = await buildTimekeeper(t.db);
    const coordinator = await buildUser(t.db, { roles: ['billing_coordinator'] });
    const matter = await buildMatter(t.db, {
      client_id: client.id,
      responsible_attorney_id: attorney.id,
      billing_partner_id: partner.id,
      billing_coordinator_id: coordinator.id,
    });
    const attorneyUser = await buildUser(t.db, { roles: ['approver'], timekeeper_id: attorney.id });
    const partnerUser = await buildUser(t.db, { roles: ['approver'], timekeeper_id: partner.id });
    const keeperUser = await buildUser(t.db, { roles: ['timekeeper'], timekeeper_id: keeper.id });
    const firstLegalOps = await buildUser(t.db, { roles: ['legal_ops'] });
    await buildUser(t.db, { roles: ['legal_ops'] });
    const long = await buildTimeEntry(t.db, {
      matter_id: matter.id,
      timekeeper_id: keeper.id,
      hours: '5.00',
    });
    const unlinked = await buildTimeEntry(t.db, { matter_id: matter.id, hours: '5.00' });
    await recheck('EX-OWN');

    expect(await ownersOf(long.id)).toEqual({
      'by-timekeeper': keeperUser.id,
      'by-attorney': attorneyUser.id,
      'by-partner': partnerUser.id,
      'by-coordinator': coordinator.id,
      'by-legal-ops': firstLegalOps.id,
    });
    // Nobody records time as this timekeeper: the finding stays listed, unassigned.
    expect((await ownersOf(unlinked.id))['by-timekeeper']).toBeNull();
  });

  it('waives only with a reason, records who and why, and keeps the waiver on recheck', async () => {
    const client = await buildClient(t.db, { client_code: 'EX-W' });
    await buildActiveGuideline(t.db, OWNERS_GUIDELINE('EX-W'), client.id);
    const matter = await buildMatter(t.db, { client_id: client.id });
    const entry = await buildTimeEntry(t.db, { matter_id: matter.id, hours: '5.00' });
    await recheck('EX-W');
    const exception = await t.db
      .selectFrom('guideline_exception')
      .select(['id', 'version'])
      .where('time_entry_id', '=', entry.id)
      .where('rule_id', '=', 'by-timekeeper')
      .executeTakeFirstOrThrow();
    const { user, cookie } = await signedIn({ roles: ['billing_coordinator'] });
    const url = `/exceptions/${exception.id}/waive`;

    expect((await call(cookie, 'POST', url, { version: exception.version })).statusCode).toBe(400);
    expect(
      (await call(cookie, 'POST', url, { version: exception.version, reason: '  ' })).statusCode,
    ).toBe(400);
    const { cookie: keeperCookie } = await signedIn({ roles: ['timekeeper'] });
    expect(
      (await call(keeperCookie, 'POST', url, { version: exception.version, reason: 'ok' }))
        .statusCode,
    ).toBe(403);

    const waived = await call(cookie, 'POST', url, {
      version: exception.version,
      reason: 'Client approved the long hearing day by email',
    });
    expect(waived.statusCode).toBe(200);
    expect(waived.json()).toMatchObject({
      state: 'waived',
      waived_by: user.id,
      waive_reason: 'Client approved the long hearing day by email',
      version: exception.version + 1,
    });
    const audit = await t.db
      .selectFrom('audit_event')
      .select(['actor_user_id', 'reason', 'occurred_at'])
      .where('action', '=', 'guideline_exception.waive')
      .where('entity_id', '=', String(exception.id))
      .execute();
    expect(audit).toEqual([
      {
        actor_user_id: user.id,
        reason: 'Client approved the long hearing day by email',
        occurred_at: t.clock.now(),
      },
    ]);

    const again = await call(cookie, 'POST', url, { version: exception.version + 1, reason: 'x' });
    expect(again.json()).toMatchObject({ code: 'EXCEPTION_NOT_OPEN' });
    const rechecked = await call(cookie, 'POST', '/exceptions/recheck', {
      from: '2026-10-01',
      to: '2026-10-31',
      client_code: 'EX-W',
    });
    expect(rechecked.json()).toMatchObject({ entries_checked: 1, opened: 0, resolved: 0 });
    expect((await call(cookie, 'GET', `/exceptions/${exception.id}`)).json()).toMatchObject({
      state: 'waived',
    });
    // The entry is still over the cap, yet the waived block no longer stops its release.
    const released = await call(cookie, 'POST', `/time-entries/${entry.id}/release`, {
      version: 1,
    });
    expect(released.statusCode).toBe(200);
    expect(released.json().findings).toContainEqual(
      expect.objectContaining({ rule_id: 'by-timekeeper', state: 'waived' }),
    );
  });

  it('lists exceptions by owner, rule, matter, state and severity, hiding walled matters and others’ work', async () => {
    const client = await buildClient(t.db, { client_code: 'EX-L' });
    await buildActiveGuideline(t.db, OWNERS_GUIDELINE('EX-L'), client.id);
    const open = await buildMatter(t.db, { client_id: client.id, matter_code: 'EX-L-OPEN' });
    const walled = await buildMatter(t.db, {
      client_id: client.id,
      matter_code: 'EX-L-WALL',
      restricted: true,
    });
    const keeper = await buildTimekeeper(t.db);
    const { user: keeperUser, cookie: keeperCookie } = await signedIn({
      roles: ['timekeeper'],
      timekeeper_id: keeper.id,
    });
    const mine = await buildTimeEntry(t.db, {
      matter_id: open.id,
      timekeeper_id: keeper.id,
      hours: '5.00',
    });
    await buildTimeEntry(t.db, { matter_id: open.id, hours: '5.00' });
    await buildTimeEntry(t.db, { matter_id: walled.id, hours: '5.00' });
    await recheck('EX-L');

    const { cookie: outsider } = await signedIn({ roles: ['billing_coordinator'] });
    const { user: member, cookie: memberCookie } = await signedIn({
      roles: ['billing_coordinator'],
    });
    await addMatterMember(t.db, walled.id, member.id);
    const list = async (cookie: string, query: string) => {
      const response = await call(cookie, 'GET', `/exceptions?limit=500&${query}`);
      expect(response.statusCode).toBe(200);
      return response.json().items as { matter_code: string; rule_id: string; entity_id: string }[];
    };

    expect(await list(outsider, 'matter_code=EX-L-WALL')).toEqual([]);
    expect(await list(memberCookie, 'matter_code=EX-L-WALL')).toHaveLength(5);
    expect(await list(outsider, 'matter_code=EX-L-OPEN')).toHaveLength(10);
    expect(await list(outsider, 'matter_code=EX-L-OPEN&rule_id=by-partner')).toHaveLength(2);
    expect(await list(outsider, 'matter_code=EX-L-OPEN&severity=block')).toHaveLength(2);
    expect(await list(outsider, 'matter_code=EX-L-OPEN&state=resolved')).toEqual([]);

    const own = await list(keeperCookie, 'state=open');
    expect(new Set(own.map((e) => e.entity_id))).toEqual(new Set([mine.entry_id]));
    const assigned = await list(keeperCookie, 'owner=me');
    expect(assigned.map((e) => e.rule_id)).toEqual(['by-timekeeper']);
    expect(await list(outsider, `owner=${keeperUser.id}&matter_code=EX-L-OPEN`)).toHaveLength(1);

    const page = await call(outsider, 'GET', '/exceptions?limit=3&matter_code=EX-L-OPEN');
    const next = await call(
      outsider,
      'GET',
      `/exceptions?limit=3&matter_code=EX-L-OPEN&cursor=${page.json().next_cursor}`,
    );
    expect(next.json().items[0].id).toBeGreaterThan(page.json().items[2].id);
  });
});
