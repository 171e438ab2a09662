import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import { validateLedes } from '../../domain/ledes/index.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import { addMatterMember, buildUser, signIn } from '../../test/factories.js';
import { billCase, markApproved } from './ebilling-fixtures.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;
let coordinatorId: number;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  const user = await buildUser(t.db, { roles: ['billing_coordinator'] });
  coordinatorId = user.id;
  coordinator = await signIn(app, user.email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const get = (url: string, cookie = coordinator) =>
  app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } });

const exportsOf = (invoiceId: number) =>
  t.db.selectFrom('ledes_export').selectAll().where('invoice_id', '=', invoiceId).execute();

describe('GET /invoices/:id/ledes', () => {
  it('downloads the file, records the export with its checksum and audits it', async () => {
    const c = await billCase(t.db, t.ctx, { code: 'DLD' });
    await markApproved(t.db, c.invoiceId);
    const response = await get(`/invoices/${c.invoiceId}/ledes`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="DLD-202610-0001.txt"',
    );
    const bytes = response.rawPayload;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(response.headers['x-matterflow-sha256']).toBe(sha256);
    expect(validateLedes(bytes.toString('utf8')).valid).toBe(true);

    expect(await exportsOf(c.invoiceId)).toMatchObject([
      { format: 'LEDES1998B', sha256, bytes: bytes.byteLength, exported_by: coordinatorId },
    ]);
    const audit = await t.db
      .selectFrom('audit_event')
      .select(['action', 'actor_user_id', 'after'])
      .where('entity_type', '=', 'invoice')
      .where('entity_id', '=', String(c.invoiceId))
      .where('action', '=', 'invoice.ledes_export')
      .execute();
    expect(audit).toMatchObject([
      {
        actor_user_id: coordinatorId,
        after: { format: 'LEDES1998B', sha256, bytes: bytes.byteLength },
      },
    ]);
    const listed = await get(`/invoices/${c.invoiceId}/ledes-exports`);
    expect(listed.json().items).toMatchObject([{ sha256, exported_by: coordinatorId }]);
  });

  it('refuses an invoice that fails readiness (409 with every problem) and records nothing', async () => {
    const c = await billCase(t.db, t.ctx, { code: 'NRD', client: { ebilling_client_id: null } });
    await markApproved(t.db, c.invoiceId);
    const response = await get(`/invoices/${c.invoiceId}/ledes`);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'NOT_READY_FOR_EXPORT',
      details: { problems: [{ code: 'PORTAL_CLIENT_ID_MISSING', owner: { role: 'legal_ops' } }] },
    });
    expect(await exportsOf(c.invoiceId)).toEqual([]);
  });

  it('refuses an invoice that is not approved yet (409)', async () => {
    const c = await billCase(t.db, t.ctx, { code: 'DRF' });
    const response = await get(`/invoices/${c.invoiceId}/ledes`);
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('INVOICE_NOT_APPROVED');
  });

  it('answers 404 to non-members of a walled matter, for the file and the export list', async () => {
    const c = await billCase(t.db, t.ctx, { code: 'WLD', matter: { restricted: true } });
    await markApproved(t.db, c.invoiceId);
    expect((await get(`/invoices/${c.invoiceId}/ledes`)).statusCode).toBe(404);
    expect((await get(`/invoices/${c.invoiceId}/ledes-exports`)).statusCode).toBe(404);
    expect(await exportsOf(c.invoiceId)).toEqual([]);
    const member = await buildUser(t.db, { roles: ['billing_coordinator'] });
    await addMatterMember(t.db, c.matterId, member.id);
    const cookie = await signIn(app, member.email);
    expect((await get(`/invoices/${c.invoiceId}/ledes`, cookie)).statusCode).toBe(200);
  });

  it('keeps approvers to reading (403 on download)', async () => {
    const c = await billCase(t.db, t.ctx, { code: 'APV' });
    await markApproved(t.db, c.invoiceId);
    const approver = await signIn(app, (await buildUser(t.db, { roles: ['approver'] })).email);
    const response = await get(`/invoices/${c.invoiceId}/ledes`, approver);
    expect(response.statusCode).toBe(403);
  });

  it('writes a 98BI file for a client set up for it', async () => {
    const c = await billCase(t.db, t.ctx, {
      code: 'GBR',
      client: { ebilling_format: 'LEDES98BI', currency: 'USD', tax_rate: '0.20', tax_type: 'VAT' },
    });
    await markApproved(t.db, c.invoiceId);
    const response = await get(`/invoices/${c.invoiceId}/ledes`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-matterflow-ledes-format']).toBe('LEDES98BI');
    expect(response.body.startsWith('LEDES98BI V2[]\r\n')).toBe(true);
  });
});
