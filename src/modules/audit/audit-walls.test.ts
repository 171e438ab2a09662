import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  addMatterMember,
  buildMatter,
  buildTimeEntry,
  buildUser,
  signIn,
} from '../../test/factories.js';
import { appendAuditEvent } from './audit.repository.js';

let t: TestDatabase;
let app: FastifyInstance;
let walledId: number;
let openId: number;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  const walled = await buildMatter(t.db, { restricted: true });
  const open = await buildMatter(t.db);
  walledId = walled.id;
  openId = open.id;
  const walledEntry = await buildTimeEntry(t.db, { matter_id: walled.id });
  const openEntry = await buildTimeEntry(t.db, { matter_id: open.id });
  const events: [string, string | number][] = [
    ['matter', walled.id],
    ['matter_timekeeper', `${walled.id}:7`],
    ['time_entry', walledEntry.id],
    ['matter', open.id],
    ['matter_timekeeper', `${open.id}:7`],
    ['time_entry', openEntry.id],
  ];
  for (const [entityType, entityId] of events) {
    await t.db
      .transaction()
      .execute((trx) =>
        appendAuditEvent(
          trx,
          SYSTEM_ACTOR,
          { action: 'test.walls', entityType, entityId },
          t.clock.now(),
        ),
      );
  }
});
afterAll(async () => {
  await app.close();
  await t.close();
});

async function eventsSeenBy(cookie: string, limit = 100) {
  const response = await app.inject({
    method: 'GET',
    url: `/api/v1/audit-events?action=test.walls&limit=${limit}`,
    headers: { cookie },
  });
  expect(response.statusCode).toBe(200);
  return response.json<{ items: { entity_type: string; entity_id: string }[] }>().items;
}

describe('audit events of walled matters', () => {
  it('are left out for readers outside the wall, in SQL, so pages do not reveal them', async () => {
    const outsider = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
    const seen = await eventsSeenBy(outsider);
    expect(seen.map((e) => e.entity_id)).not.toContain(String(walledId));
    expect(seen).toHaveLength(3);
    expect(
      seen.every((e) => e.entity_id.startsWith(String(openId)) || e.entity_type === 'time_entry'),
    ).toBe(true);
    // A page of 3 is full with the visible events alone: nothing hidden takes a slot.
    const page = await app.inject({
      method: 'GET',
      url: '/api/v1/audit-events?action=test.walls&limit=3',
      headers: { cookie: outsider },
    });
    expect(page.json().items).toHaveLength(3);
    expect(page.json().next_cursor).toBeNull();
  });

  it('are shown to members of the wall and to admins', async () => {
    const member = await buildUser(t.db, { roles: ['legal_ops'] });
    await addMatterMember(t.db, walledId, member.id);
    expect(await eventsSeenBy(await signIn(app, member.email))).toHaveLength(6);
    const admin = await signIn(app, (await buildUser(t.db, { roles: ['admin'] })).email);
    expect(await eventsSeenBy(admin)).toHaveLength(6);
  });
});
