import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import { buildClient, buildUser, signIn } from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;
let coordinatorId: number;
let legalOps: string;
let approver: string;
let timekeeper: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  const user = await buildUser(t.db, { roles: ['billing_coordinator'] });
  coordinatorId = user.id;
  coordinator = await signIn(app, user.email);
  legalOps = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
  approver = await signIn(app, (await buildUser(t.db, { roles: ['approver'] })).email);
  timekeeper = await signIn(app, (await buildUser(t.db, { roles: ['timekeeper'] })).email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const get = (url: string, cookie = coordinator) =>
  app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } });
const patch = (url: string, payload: unknown, cookie = coordinator) =>
  app.inject({
    method: 'PATCH',
    url: `/api/v1${url}`,
    headers: { cookie },
    payload: payload as object,
  });

const clientRow = (id: number) =>
  t.db.selectFrom('client').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const auditOf = (entityType: string, id: number) =>
  t.db
    .selectFrom('audit_event')
    .select(['action', 'actor_user_id', 'before', 'after'])
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(id))
    .orderBy('id')
    .execute();

describe('PATCH /clients/:id/ebilling-profile', () => {
  it('sets the profile, bumps the version and audits the change in the same transaction', async () => {
    const client = await buildClient(t.db);
    const response = await patch(`/clients/${client.id}/ebilling-profile`, {
      version: 1,
      ebilling_format: 'LEDES98BI',
      ebilling_portal: 'Collaborati',
      ebilling_client_id: 'ACME-PORTAL',
      law_firm_id: '12-3456789',
      ledes_classification_codes: 'revised',
      ledes_classification_map: { PL: 'PARLGL' },
      tax_rate: '0.20',
      tax_type: 'VAT',
      billing_address_1: '500 Fifth Avenue',
      billing_city: 'New York',
      billing_region: 'NY',
      billing_postcode: '10036',
      billing_country: 'USA',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      client_id: client.id,
      ebilling_format: 'LEDES98BI',
      ledes_classification_map: { PL: 'PARLGL' },
      billing_address_2: null,
      version: 2,
    });
    expect(await clientRow(client.id)).toMatchObject({
      ebilling_format: 'LEDES98BI',
      ebilling_portal: 'Collaborati',
      ebilling_client_id: 'ACME-PORTAL',
      law_firm_id: '12-3456789',
      ledes_classification_codes: 'revised',
      ledes_classification_map: { PL: 'PARLGL' },
      tax_rate: '0.20',
      tax_type: 'VAT',
      billing_address_1: '500 Fifth Avenue',
      billing_country: 'USA',
      version: 2,
    });
    expect(await auditOf('client', client.id)).toMatchObject([
      {
        action: 'client.ebilling_profile',
        actor_user_id: coordinatorId,
        before: { ebilling_format: 'none', tax_rate: null, version: 1 },
        after: { ebilling_format: 'LEDES98BI', tax_rate: '0.20', version: 2 },
      },
    ]);

    // Only the fields sent change; "" clears one.
    const cleared = await patch(`/clients/${client.id}/ebilling-profile`, {
      version: 2,
      tax_rate: '',
      tax_type: null,
    });
    expect(cleared.statusCode).toBe(200);
    expect(await clientRow(client.id)).toMatchObject({
      tax_rate: null,
      tax_type: null,
      ebilling_portal: 'Collaborati',
      version: 3,
    });
    const shown = await get(`/clients/${client.id}/ebilling-profile`, approver);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ ebilling_client_id: 'ACME-PORTAL', version: 3 });
  });

  it('refuses a stale version with 409 and changes nothing', async () => {
    const client = await buildClient(t.db);
    expect(
      (await patch(`/clients/${client.id}/ebilling-profile`, { version: 1, tax_type: 'VAT' }))
        .statusCode,
    ).toBe(200);
    const stale = await patch(`/clients/${client.id}/ebilling-profile`, {
      version: 1,
      tax_type: 'GST',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'STALE_VERSION' });
    expect(await clientRow(client.id)).toMatchObject({ tax_type: 'VAT', version: 2 });
    expect(await auditOf('client', client.id)).toHaveLength(1);
  });

  it('names every refused field and writes nothing', async () => {
    const client = await buildClient(t.db);
    const response = await patch(`/clients/${client.id}/ebilling-profile`, {
      version: 1,
      ebilling_format: 'LEDES2000',
      law_firm_id: '12|34',
      tax_rate: '20%',
      billing_country: 'United States',
      ledes_classification_map: { XX: 'FOO' },
      portal_password: 'secret',
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    const fields = JSON.stringify(body);
    for (const field of [
      'ebilling_format',
      'law_firm_id',
      'tax_rate',
      'billing_country',
      'ledes_classification_map',
      'portal_password',
    ])
      expect(fields).toContain(field);
    expect(await clientRow(client.id)).toMatchObject({ ebilling_format: 'none', version: 1 });
    expect(await auditOf('client', client.id)).toEqual([]);
  });

  it('lets billing coordinators, legal ops and admins change it; approvers and timekeepers may not', async () => {
    const client = await buildClient(t.db);
    expect(
      (
        await patch(
          `/clients/${client.id}/ebilling-profile`,
          { version: 1, tax_type: 'VAT' },
          legalOps,
        )
      ).statusCode,
    ).toBe(200);
    const byApprover = await patch(
      `/clients/${client.id}/ebilling-profile`,
      { version: 2, tax_type: 'GST' },
      approver,
    );
    expect(byApprover.statusCode).toBe(403);
    expect((await get(`/clients/${client.id}/ebilling-profile`, timekeeper)).statusCode).toBe(403);
    expect((await get('/clients/999999/ebilling-profile')).statusCode).toBe(404);
    expect(await clientRow(client.id)).toMatchObject({ tax_type: 'VAT', version: 2 });
  });
});

describe('/firm/profile', () => {
  it('legal ops set the firm name and address; billing coordinators read it', async () => {
    const before = (await get('/firm/profile')).json();
    expect(
      (await patch('/firm/profile', { version: before.version, firm_name: 'X' })).statusCode,
    ).toBe(403);
    const response = await patch(
      '/firm/profile',
      {
        version: before.version,
        firm_name: 'Arnsley & Beaster LLP',
        address_1: '1 Fleet Street',
        city: 'London',
        postcode: 'EC4Y 1AA',
        country: 'GBR',
      },
      legalOps,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      firm_name: 'Arnsley & Beaster LLP',
      version: before.version + 1,
    });
    expect(
      await t.db.selectFrom('firm_profile').selectAll().executeTakeFirstOrThrow(),
    ).toMatchObject({ city: 'London', country: 'GBR', region: null });
    expect(await auditOf('firm_profile', 1)).toMatchObject([
      { action: 'firm.profile', after: { firm_name: 'Arnsley & Beaster LLP' } },
    ]);
    const stale = await patch(
      '/firm/profile',
      { version: before.version, city: 'Leeds' },
      legalOps,
    );
    expect(stale.statusCode).toBe(409);
    const bad = await patch(
      '/firm/profile',
      { version: before.version + 1, country: 'UK' },
      legalOps,
    );
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('country');
  });
});
