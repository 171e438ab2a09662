import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { onPostgresServer, openTestDatabase } from '../../test/database.js';
import {
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';

// Real parallel transactions need a PostgreSQL server; PGlite runs one statement at a time.
describe.skipIf(!onPostgresServer)('two approvers approving the same invoice at once', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let coordinator: string;

  beforeAll(async () => {
    t = await openTestDatabase();
    app = await buildApp({ ctx: t.ctx });
    coordinator = await signIn(
      app,
      (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
    );
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });

  async function move(id: number, cookie: string, to: string) {
    const { version } = (await call('GET', `/invoices/${id}`, cookie)).json();
    const response = await call('POST', `/invoices/${id}/transitions`, cookie, { to, version });
    expect(response.statusCode).toBe(200);
  }

  /**
   * An invoice awaiting sign-off that two approvers may approve: the routed responsible
   * attorney and the deputy the approval was handed to.
   */
  async function contestedInvoice() {
    const client = await buildClient(t.db);
    const partner = await buildTimekeeper(t.db, { classification: 'PT' });
    const partnerUser = await buildUser(t.db, { roles: ['approver'], timekeeper_id: partner.id });
    const deputy = await buildUser(t.db, { roles: ['approver'] });
    const matter = await buildMatter(t.db, {
      client_id: client.id,
      responsible_attorney_id: partner.id,
      client_matter_id: 'CM-RACE',
    });
    const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
    await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 50000 });
    await buildReleasedEntry(t.db, { matter_id: matter.id, timekeeper_id: timekeeper.id });
    const run = await call('POST', '/bill-runs', coordinator, {
      period: '2026-10',
      matter_code: matter.matter_code,
    });
    const id: number = run.json().invoices[0].id;
    await move(id, coordinator, 'in_review');
    await move(id, coordinator, 'ready_for_approval');
    const { version } = (await call('GET', `/invoices/${id}`, coordinator)).json();
    const handed = await call('POST', `/invoices/${id}/reassign`, coordinator, {
      user_id: deputy.id,
      reason: 'either of them may sign off this week',
      version,
    });
    expect(handed.statusCode).toBe(200);
    return {
      id,
      version: version + 1,
      approvers: [await signIn(app, partnerUser.email), await signIn(app, deputy.email)],
    };
  }

  it('lets exactly one approval through; the other gets 409 and one audit event is written', async () => {
    // A few rounds, so the requests really overlap at least some of the time.
    for (let round = 0; round < 3; round += 1) {
      const { id, version, approvers } = await contestedInvoice();
      const responses = await Promise.all(
        approvers.map((cookie) =>
          call('POST', `/invoices/${id}/transitions`, cookie, { to: 'approved', version }),
        ),
      );
      expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const loser = responses.find((r) => r.statusCode === 409)!;
      expect(['STALE_VERSION', 'TRANSITION_NOT_ALLOWED']).toContain(loser.json().code);

      const approvals = await t.db
        .selectFrom('audit_event')
        .select('id')
        .where('entity_type', '=', 'invoice')
        .where('entity_id', '=', String(id))
        .where('action', '=', 'invoice.transition')
        .where(sql<boolean>`after->>'action' = 'approve'`)
        .execute();
      expect(approvals).toHaveLength(1);
      const stages = await t.db
        .selectFrom('invoice_stage_event')
        .select('id')
        .where('invoice_id', '=', id)
        .where('to_state', '=', 'approved')
        .execute();
      expect(stages).toHaveLength(1);
      const invoice = await t.db
        .selectFrom('invoice')
        .select(['state', 'version'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(invoice).toEqual({ state: 'approved', version: version + 1 });
    }
  }, 180_000);
});
