import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { Role } from '../../domain/roles.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildUser, signIn } from '../../test/factories.js';
import { createClient } from '../clients/clients.service.js';

let t: TestDatabase;
let app: FastifyInstance;
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  for (const [code, at] of [
    ['AUD1', '2026-11-01T10:00:00Z'],
    ['AUD2', '2026-11-02T10:00:00Z'],
    ['AUD3', '2026-11-03T10:00:00Z'],
  ] as const) {
    t.clock.set(at);
    await createClient(t.ctx, SYSTEM_ACTOR, {
      client_code: code,
      name: `Client ${code}`,
      currency: 'USD',
      ebilling_format: 'none',
    });
  }
  // Signed in after the backdated clients, so the sessions are fresh on the test clock.
  for (const role of ['admin', 'legal_ops', 'billing_coordinator', 'approver'] as const) {
    cookies[role] = await signIn(app, (await buildUser(t.db, { roles: [role] })).email);
  }
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const get = (url: string, role: Role = 'legal_ops') =>
  app.inject({ method: 'GET', url, headers: { cookie: cookies[role] } });

describe('GET /api/v1/audit-events', () => {
  it('filters by entity, action and inclusive days, a page at a time', async () => {
    const first = await get(
      '/api/v1/audit-events?entity_type=client&action=client.create&from=2026-11-01&to=2026-11-02&limit=1',
    );
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items).toHaveLength(1);
    expect(page1.items[0]).toMatchObject({ action: 'client.create', actor: 'system' });
    expect(page1.items[0].after.client_code).toBe('AUD1');
    expect(page1.items[0].occurred_at).toBe('2026-11-01T10:00:00.000Z');
    const second = await get(
      `/api/v1/audit-events?entity_type=client&action=client.create&from=2026-11-01&to=2026-11-02&limit=1&cursor=${page1.next_cursor}`,
    );
    const page2 = second.json();
    expect(page2.items.map((e: { after: { client_code: string } }) => e.after.client_code)).toEqual(
      ['AUD2'],
    );
    expect(page2.next_cursor).toBeNull();

    const byId = await get(
      `/api/v1/audit-events?entity_type=client&entity_id=${page1.items[0].entity_id}`,
    );
    expect(byId.json().items).toHaveLength(1);
  });

  it('answers 400 for a day that is not a date and a range that runs backwards', async () => {
    expect((await get('/api/v1/audit-events?from=2026-02-30')).statusCode).toBe(400);
    expect((await get('/api/v1/audit-events?from=2026-11-03&to=2026-11-01')).statusCode).toBe(400);
  });

  it('is closed to roles other than admin and legal ops', async () => {
    expect((await get('/api/v1/audit-events', 'admin')).statusCode).toBe(200);
    for (const role of ['billing_coordinator', 'approver'] as const) {
      expect((await get('/api/v1/audit-events', role)).statusCode).toBe(403);
      expect((await get('/api/v1/audit-events/verify', role)).statusCode).toBe(403);
    }
  });
});

describe('GET /api/v1/audit-events/verify', () => {
  it('reports the chain intact, then the first broken link after tampering', async () => {
    const intact = await get('/api/v1/audit-events/verify', 'admin');
    expect(intact.statusCode).toBe(200);
    const count = await t.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(intact.json()).toMatchObject({ ok: true, events: Number(count.n), broken_at: null });

    const target = await t.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'client.create')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await sql`alter table audit_event disable trigger audit_event_append_only`.execute(t.db);
    try {
      await sql`update audit_event set reason = 'backdated' where id = ${target.id}`.execute(t.db);
    } finally {
      await sql`alter table audit_event enable trigger audit_event_append_only`.execute(t.db);
    }
    const broken = await get('/api/v1/audit-events/verify');
    expect(broken.json()).toMatchObject({
      ok: false,
      last_hash: null,
      broken_at: { id: target.id, reason: 'hash_mismatch' },
    });
  });
});
