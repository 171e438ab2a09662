import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import { addMatterMember, buildUser, signIn } from '../../test/factories.js';
import { billCase, markApproved } from './ebilling-fixtures.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;
let legalOpsUserId: number;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  // The first active legal ops user owns master-data problems.
  legalOpsUserId = (await buildUser(t.db, { roles: ['legal_ops'], email: 'ops@firm.test' })).id;
  coordinator = await signIn(
    app,
    (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
  );
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const get = (url: string, cookie = coordinator) =>
  app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } });

async function move(id: number, to: string, cookie = coordinator) {
  const { version } = (await get(`/invoices/${id}`, cookie)).json();
  return app.inject({
    method: 'POST',
    url: `/api/v1/invoices/${id}/transitions`,
    headers: { cookie },
    payload: { to, version },
  });
}

describe('GET /invoices/:id/readiness', () => {
  it('finds a clean invoice ready and lists each value it had to clean', async () => {
    const c = await billCase(t.db, t.ctx, { code: 'RDY' });
    const response = await get(`/invoices/${c.invoiceId}/readiness`);
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({
      invoice_number: 'RDY-202610-0001',
      format: 'LEDES1998B',
      ready: true,
      problems: [],
    });
    expect(report.cleaned).toEqual([
      {
        line: 4,
        field: 'LINE_ITEM_DESCRIPTION',
        invoiceNumber: 'RDY-202610-0001',
        before: 'Research | statute of limitations\nmemo',
        after: 'Research   statute of limitations memo',
      },
      {
        line: 6,
        field: 'LINE_ITEM_DESCRIPTION',
        invoiceNumber: 'RDY-202610-0001',
        before: 'Revise answer [] and send to client',
        after: 'Revise answer   and send to client',
      },
    ]);
  });

  it('names the owner of every problem: profile, timekeepers, rates, codes, exceptions, number', async () => {
    const c = await billCase(t.db, t.ctx, {
      code: 'BAD',
      client: { ebilling_client_id: null, law_firm_id: '' },
    });
    // The associate leaves the approved list; the partner's approved rate drops below his rate.
    await t.db.deleteFrom('matter_timekeeper').where('timekeeper_id', '=', c.associateId).execute();
    await t.db
      .updateTable('matter_timekeeper')
      .set({ approved_rate_cents: 45000 })
      .where('matter_id', '=', c.matterId)
      .execute();
    await t.db
      .updateTable('invoice_line')
      .set({ task_code: null })
      .where('invoice_id', '=', c.invoiceId)
      .where('line_number', '=', 2)
      .execute();
    await t.db
      .updateTable('invoice_line')
      .set({ expense_code: null })
      .where('invoice_id', '=', c.invoiceId)
      .where('line_type', '=', 'E')
      .execute();
    const now = new Date();
    const exception = await t.db
      .insertInto('guideline_exception')
      .values({
        fingerprint: `invoice-${c.invoiceId}-po`,
        rule_id: 'purchase_order_required',
        rule_kind: 'required_fields',
        severity: 'block',
        owner_role: 'billing_partner',
        owner_user_id: c.partnerUserId,
        entity_type: 'invoice',
        invoice_id: c.invoiceId,
        entity_external_id: String(c.invoiceId),
        matter_id: c.matterId,
        message: 'The client requires a purchase order number.',
        opened_at: now,
        last_seen_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Another invoice of the client whose number differs only in case.
    await t.db
      .insertInto('invoice')
      .values({
        invoice_number: 'bad-202610-0001',
        matter_id: c.matterId,
        client_id: c.clientId,
        period_start: '2026-09-01',
        period_end: '2026-09-30',
        currency: 'USD',
        fee_arrangement: 'hourly',
        state: 'paid',
        stage_entered_at: now,
        last_bill_run_at: now,
      })
      .execute();

    const report = (await get(`/invoices/${c.invoiceId}/readiness`)).json();
    expect(report.ready).toBe(false);
    const owners = report.problems.map(
      (p: {
        code: string;
        line_number: number | null;
        owner: { role: string; user_id: number };
      }) => [p.code, p.line_number, p.owner.role, p.owner.user_id],
    );
    expect(owners).toEqual([
      ['PORTAL_CLIENT_ID_MISSING', null, 'legal_ops', legalOpsUserId],
      ['LAW_FIRM_ID_MISSING', null, 'legal_ops', legalOpsUserId],
      ['INVOICE_NUMBER_NOT_UNIQUE', null, 'billing_coordinator', c.coordinatorId],
      ['RATE_ABOVE_APPROVED', 1, 'responsible_attorney', c.partnerUserId],
      ['TIMEKEEPER_NOT_APPROVED', 2, 'responsible_attorney', c.partnerUserId],
      ['TASK_CODE_MISSING', 2, 'timekeeper', c.associateUserId],
      ['TIMEKEEPER_NOT_APPROVED', 3, 'responsible_attorney', c.partnerUserId],
      ['RATE_ABOVE_APPROVED', 4, 'responsible_attorney', c.partnerUserId],
      ['EXPENSE_CODE_MISSING', 5, 'billing_coordinator', c.coordinatorId],
      ['OPEN_BLOCKING_EXCEPTION', null, 'billing_partner', c.partnerUserId],
    ]);
    expect(report.problems[9].message).toContain(`Exception ${exception.id}`);
    expect(report.problems[0].owner.email).toBe('ops@firm.test');
  });

  it('hides a walled matter from non-members (404) and shows it to members', async () => {
    const c = await billCase(t.db, t.ctx, { code: 'WAL', matter: { restricted: true } });
    expect((await get(`/invoices/${c.invoiceId}/readiness`)).statusCode).toBe(404);
    const member = await buildUser(t.db, { roles: ['billing_coordinator'] });
    await addMatterMember(t.db, c.matterId, member.id);
    const memberCookie = await signIn(app, member.email);
    expect((await get(`/invoices/${c.invoiceId}/readiness`, memberCookie)).statusCode).toBe(200);
  });
});

describe('submission guard', () => {
  it('keeps an invoice that fails readiness from submitted (409 with the readiness codes)', async () => {
    const c = await billCase(t.db, t.ctx, { code: 'SUB', client: { law_firm_id: null } });
    await markApproved(t.db, c.invoiceId);
    const refused = await move(c.invoiceId, 'submitted');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'NOT_READY_FOR_SUBMISSION',
      details: { readinessProblems: 1, readinessCodes: ['LAW_FIRM_ID_MISSING'] },
    });
    expect((await get(`/invoices/${c.invoiceId}`)).json().state).toBe('approved');

    await t.db
      .updateTable('client')
      .set({ law_firm_id: '12-3456789' })
      .where('id', '=', c.clientId)
      .execute();
    const submitted = await move(c.invoiceId, 'submitted');
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json().state).toBe('submitted');
  });
});
