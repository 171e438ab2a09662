import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import { addMatterMember, buildUser, signIn } from '../../test/factories.js';
import { billCase, markApproved, type LedesCase } from './ebilling-fixtures.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;
let legalOps: string;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  coordinator = await signIn(
    app,
    (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
  );
  legalOps = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const get = (url: string, cookie = coordinator) =>
  app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } });
const post = (url: string, payload: unknown, cookie = coordinator, type?: string) =>
  app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { cookie, ...(type ? { 'content-type': type } : {}) },
    payload: payload as string,
  });
const csv = (text: string, cookie = coordinator) =>
  post('/ebilling/responses', text, cookie, 'text/csv');

const HEADER = 'invoice_number,status,reason_code,reason_text,amount_approved,response_date';

async function stateOf(id: number) {
  return (await get(`/invoices/${id}`)).json().state as string;
}

/** An approved, exported and submitted invoice. */
async function submitted(
  c: LedesCase,
  cookie = coordinator,
  before?: (matterId: number) => Promise<void>,
) {
  const billed = await billCase(t.db, t.ctx, c);
  await before?.(billed.matterId);
  await markApproved(t.db, billed.invoiceId);
  const file = await get(`/invoices/${billed.invoiceId}/ledes`, cookie);
  expect(file.statusCode).toBe(200);
  const { version } = (await get(`/invoices/${billed.invoiceId}`, cookie)).json();
  const response = await post(
    `/invoices/${billed.invoiceId}/submissions`,
    { version, portal: 'Collaborati' },
    cookie,
  );
  expect(response.statusCode).toBe(200);
  return { ...billed, sha256: file.headers['x-matterflow-sha256'] as string };
}

describe('POST /invoices/:id/submissions', () => {
  it('records the exported file by checksum and moves the invoice to submitted', async () => {
    const c = await submitted({ code: 'SBM' });
    expect(await stateOf(c.invoiceId)).toBe('submitted');
    const list = (await get(`/invoices/${c.invoiceId}/submissions`)).json();
    expect(list.items).toMatchObject([{ portal: 'Collaborati', sha256: c.sha256 }]);
    const actions = await t.db
      .selectFrom('audit_event')
      .select('action')
      .where('entity_type', '=', 'invoice')
      .where('entity_id', '=', String(c.invoiceId))
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action).slice(-3)).toEqual([
      'invoice.ledes_export',
      'invoice.transition',
      'invoice.ebilling_submission',
    ]);
  });

  it('refuses a submission without an export, with an unknown checksum, or behind a wall', async () => {
    const c = await billCase(t.db, t.ctx, { code: 'NEX', client: { ebilling_portal: 'Tymetrix' } });
    await markApproved(t.db, c.invoiceId);
    const { version } = (await get(`/invoices/${c.invoiceId}`)).json();
    const none = await post(`/invoices/${c.invoiceId}/submissions`, { version });
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('EXPORT_NOT_FOUND');
    await get(`/invoices/${c.invoiceId}/ledes`);
    const wrong = await post(`/invoices/${c.invoiceId}/submissions`, {
      version,
      sha256: '0'.repeat(64),
    });
    expect(wrong.json().code).toBe('EXPORT_NOT_FOUND');
    // The client's profile names the portal when the request does not.
    const ok = await post(`/invoices/${c.invoiceId}/submissions`, { version });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().portal).toBe('Tymetrix');

    const walled = await billCase(t.db, t.ctx, { code: 'WSB', matter: { restricted: true } });
    await markApproved(t.db, walled.invoiceId);
    const hidden = await post(`/invoices/${walled.invoiceId}/submissions`, { version: 1 });
    expect(hidden.statusCode).toBe(404);
  });
});

describe('POST /ebilling/responses', () => {
  it('names every bad row and column and writes nothing', async () => {
    const a = await submitted({ code: 'ERA' });
    const response = await csv(
      [
        HEADER,
        `${a.invoiceNumber},rejected,RATE_EXCEEDS_APPROVED,Rate above agreed,,2026-11-20`,
        'NOPE-1,accepted,,,,2026-11-20',
        `${a.invoiceNumber},lost,,,,2026-11-20`,
        `${a.invoiceNumber},rejected,,,,2026-11-31`,
        `${a.invoiceNumber},reduced,CLIENT_DISCRETION,,12.345,2026-11-20`,
        `${a.invoiceNumber},reduced,CLIENT_DISCRETION,,999999.00,2026-11-20`,
      ].join('\n'),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('EBILLING_RESPONSES_INVALID');
    expect(
      response.json().details.issues.map((i: { row: number; field: string }) => [i.row, i.field]),
    ).toEqual([
      [3, 'invoice_number'],
      [4, 'status'],
      [5, 'reason_code'],
      [5, 'response_date'],
      [6, 'amount_approved'],
      [7, 'amount_approved'],
    ]);
    expect(await stateOf(a.invoiceId)).toBe('submitted');
    expect(await t.db.selectFrom('ebilling_response').selectAll().execute()).toEqual([]);
  });

  it('refuses a header without the expected columns (row 1)', async () => {
    const response = await csv('invoice_number,status,when\nX,accepted,2026-11-20');
    expect(response.statusCode).toBe(400);
    expect(response.json().details.issues).toEqual([
      {
        row: 1,
        field: 'header',
        message:
          'missing column(s) reason_code, reason_text, amount_approved, response_date; unknown column(s) when. Expected: invoice_number,status,reason_code,reason_text,amount_approved,response_date.',
      },
    ]);
  });

  it('rolls back every row when one answer does not fit its invoice', async () => {
    const a = await submitted({ code: 'RBA' });
    const draft = await billCase(t.db, t.ctx, { code: 'RBD' });
    const response = await csv(
      [
        HEADER,
        `${a.invoiceNumber},rejected,BLOCK_BILLING,Block billed,,2026-11-20`,
        `${draft.invoiceNumber},accepted,,,,2026-11-20`,
      ].join('\n'),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().details.issues).toMatchObject([{ row: 3, field: 'status' }]);
    expect(await stateOf(a.invoiceId)).toBe('submitted');
    const exceptions = await t.db
      .selectFrom('guideline_exception')
      .select('id')
      .where('invoice_id', '=', a.invoiceId)
      .execute();
    expect(exceptions).toEqual([]);
  });

  it('applies each answer: rejection back to review with exceptions, reduction, payment, appeal', async () => {
    const rejected = await submitted({ code: 'REJ' });
    const reduced = await submitted({ code: 'RED' });
    const paid = await submitted({ code: 'PAY' });
    const file = [
      HEADER,
      `${rejected.invoiceNumber},rejected,RATE_EXCEEDS_APPROVED,"Rate above agreed, 500 vs 450",,2026-11-20`,
      `${rejected.invoiceNumber},rejected,BLOCK_BILLING,Entry 2 is block billed,,2026-11-20`,
      `${reduced.invoiceNumber},reduced,CLIENT_DISCRETION,Budget cut,1500.00,2026-11-21`,
      `${paid.invoiceNumber},paid,,,1863.75,2026-11-25`,
      `${reduced.invoiceNumber},appealed,CLIENT_DISCRETION,Appeal filed,,2026-11-26`,
    ].join('\r\n');
    // Recording a payment is legal ops' move.
    const byCoordinator = await csv(file);
    expect(byCoordinator.statusCode).toBe(400);
    expect(byCoordinator.json().details.issues).toMatchObject([{ row: 5, field: 'status' }]);

    const response = await csv(file, legalOps);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ rows: 5, applied: 5, unchanged: 0 });
    // The first rejection moves the invoice back to review; the second finds it there.
    expect(response.json().responses.map((r: { state: string }) => r.state)).toEqual([
      'in_review',
      'in_review',
      'accepted',
      'paid',
      'accepted',
    ]);
    expect(await stateOf(rejected.invoiceId)).toBe('in_review');
    expect(await stateOf(reduced.invoiceId)).toBe('accepted');
    expect(await stateOf(paid.invoiceId)).toBe('paid');

    // Each reason is an open blocking exception owned by the matter's billing coordinator.
    const exceptions = await t.db
      .selectFrom('guideline_exception')
      .select(['rule_id', 'rule_kind', 'severity', 'owner_role', 'owner_user_id', 'state'])
      .where('invoice_id', '=', rejected.invoiceId)
      .orderBy('id')
      .execute();
    expect(exceptions).toEqual([
      {
        rule_id: 'portal:RATE_EXCEEDS_APPROVED',
        rule_kind: 'portal_rejection',
        severity: 'block',
        owner_role: 'billing_coordinator',
        owner_user_id: rejected.coordinatorId,
        state: 'open',
      },
      {
        rule_id: 'portal:BLOCK_BILLING',
        rule_kind: 'portal_rejection',
        severity: 'block',
        owner_role: 'billing_coordinator',
        owner_user_id: rejected.coordinatorId,
        state: 'open',
      },
    ]);
    const invoice = (await get(`/invoices/${rejected.invoiceId}`)).json();
    expect(invoice.rework_count).toBe(1);

    // The reduction is a client adjustment of approved − billed: the client owes the approved
    // amount, the billed total stays as billed.
    const reducedInvoice = (await get(`/invoices/${reduced.invoiceId}`)).json();
    expect(reducedInvoice).toMatchObject({
      total_cents: 186375,
      client_adjustments_cents: 150000 - 186375,
      amount_due_cents: 150000,
    });
    expect(
      reducedInvoice.adjustments.filter((a: { kind: string }) => a.kind === 'client_reduction'),
    ).toMatchObject([
      { amount_cents: 150000 - 186375, reason_code: 'CLIENT_DISCRETION', state: 'applied' },
    ]);
    expect(
      await t.db
        .selectFrom('invoice')
        .select(['total_cents', 'client_adjustments_cents', 'amount_due_cents'])
        .where('id', '=', reduced.invoiceId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ total_cents: 186375, client_adjustments_cents: -36375, amount_due_cents: 150000 });
    const reductionAudit = await t.db
      .selectFrom('audit_event')
      .select('after')
      .where('entity_id', '=', String(reduced.invoiceId))
      .where('action', '=', 'invoice.ebilling_response')
      .orderBy('id')
      .execute();
    expect(reductionAudit[0]!.after).toMatchObject({
      status: 'reduced',
      amount_approved_cents: 150000,
      client_adjustments_cents: -36375,
      amount_due_cents: 150000,
    });
    // Invoices nobody reduced owe their total.
    expect((await get(`/invoices/${paid.invoiceId}`)).json()).toMatchObject({
      client_adjustments_cents: 0,
      amount_due_cents: 186375,
    });
    const stored = await t.db
      .selectFrom('ebilling_response')
      .select(['invoice_number', 'status', 'source_row'])
      .orderBy('id')
      .execute();
    expect(stored.map((r) => [r.status, r.source_row])).toEqual([
      ['rejected', 2],
      ['rejected', 3],
      ['reduced', 4],
      ['paid', 5],
      ['appealed', 6],
    ]);

    // The same file again changes nothing.
    const again = await csv(file, legalOps);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ rows: 5, applied: 0, unchanged: 5 });
    expect((await get(`/invoices/${reduced.invoiceId}`)).json().amount_due_cents).toBe(150000);
  });

  it('a second reduction sets what is owed to the newly approved amount, adjusting by the difference', async () => {
    const c = await submitted({ code: 'RR2' });
    const first = await csv(
      [HEADER, `${c.invoiceNumber},reduced,CLIENT_DISCRETION,,1500.00,2026-11-21`].join('\n'),
      legalOps,
    );
    expect(first.statusCode).toBe(200);
    const second = await csv(
      [HEADER, `${c.invoiceNumber},reduced,BUDGET_EXCEEDED,,1200.00,2026-11-28`].join('\n'),
      legalOps,
    );
    expect(second.statusCode).toBe(200);
    const invoice = (await get(`/invoices/${c.invoiceId}`)).json();
    expect(invoice).toMatchObject({
      state: 'accepted',
      total_cents: 186375,
      client_adjustments_cents: 120000 - 186375,
      amount_due_cents: 120000,
    });
    expect(
      invoice.adjustments
        .filter((a: { kind: string }) => a.kind === 'client_reduction')
        .map((a: { amount_cents: number; reason_code: string }) => [a.amount_cents, a.reason_code]),
    ).toEqual([
      [150000 - 186375, 'CLIENT_DISCRETION'],
      [120000 - 150000, 'BUDGET_EXCEEDED'],
    ]);
  });
});

describe('GET /reports/rejections and the reason-code map', () => {
  it('shows each reason with the rule that would have caught it, and hides walled matters', async () => {
    const open = await submitted({ code: 'RPA' });
    const walledMember = await buildUser(t.db, { roles: ['legal_ops'] });
    const member = await signIn(app, walledMember.email);
    const walled = await submitted({ code: 'RPW', matter: { restricted: true } }, member, (id) =>
      addMatterMember(t.db, id, walledMember.id),
    );
    const imported = await csv(
      [
        HEADER,
        `${open.invoiceNumber},rejected,RATE_EXCEEDS_APPROVED,,,2026-12-02`,
        `${open.invoiceNumber},rejected,PORTAL_SPECIAL,,,2026-12-02`,
        `${walled.invoiceNumber},reduced,SCOPE_DISPUTE,,1000.00,2026-12-03`,
      ].join('\n'),
      member,
    );
    expect(imported.statusCode).toBe(200);

    const report = (await get('/reports/rejections?from=2026-12-01&to=2026-12-31')).json();
    expect(report).toMatchObject({
      reason_map_version: null,
      responses: 2,
      preventable: 1,
      not_preventable: 0,
      unmapped: 1,
    });
    expect(report.reasons).toMatchObject([
      { reason_code: 'PORTAL_SPECIAL', preventable: null, verdict: 'not in the reason-code map' },
      {
        reason_code: 'RATE_EXCEEDS_APPROVED',
        rejected: 1,
        invoices: [open.invoiceNumber],
        preventable: true,
        verdict: 'would have been caught by rule approved_rate or rate_cap or RATE_ABOVE_APPROVED',
      },
    ]);
    const seen = (await get('/reports/rejections?from=2026-12-01&to=2026-12-31', member)).json();
    expect(seen.responses).toBe(3);
    expect(
      seen.reasons.find((r: { reason_code: string }) => r.reason_code === 'SCOPE_DISPUTE'),
    ).toMatchObject({
      reduced: 1,
      reduced_by_cents: 100000 - 186375,
      preventable: false,
      verdict: 'not preventable',
    });
    expect(seen.reductions).toEqual([
      {
        invoice_number: walled.invoiceNumber,
        client_code: 'RPW',
        reason_code: 'SCOPE_DISPUTE',
        response_date: '2026-12-03',
        billed_total_cents: 186375,
        amount_approved_cents: 100000,
        amount_due_cents: 100000,
      },
    ]);
    expect(report.reductions).toEqual([]);
    // Narrowed to a client or a practice area; a walled client stays empty to outsiders.
    const period = '/reports/rejections?from=2026-12-01&to=2026-12-31';
    expect((await get(`${period}&client_code=RPA`)).json().responses).toBe(2);
    expect((await get(`${period}&client_code=RPW`)).json().responses).toBe(0);
    expect((await get(`${period}&client_code=RPW`, member)).json().responses).toBe(1);
    expect((await get(`${period}&practice_area=Litigation`, member)).json().responses).toBe(3);
    expect((await get(`${period}&practice_area=Employment`, member)).json().responses).toBe(0);

    // A map of the firm's own: every problem by line and column, then a version that applies.
    const bad = await post(
      '/ebilling/reason-map',
      'reasons:\n  - code: PORTAL_SPECIAL\n    rule_kinds: [no_such_kind]\n',
      legalOps,
      'text/yaml',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'REASON_MAP_INVALID',
      details: { issues: [{ line: 3, column: 18, field: 'reasons[0].rule_kinds[0]' }] },
    });
    const refused = await post('/ebilling/reason-map', 'reasons: []\n', coordinator, 'text/yaml');
    expect(refused.statusCode).toBe(403);
    const good = await post(
      '/ebilling/reason-map',
      'reasons:\n  - code: PORTAL_SPECIAL\n    rule_kinds: [budget]\n',
      legalOps,
      'text/yaml',
    );
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({
      version: 1,
      reasons: [{ code: 'PORTAL_SPECIAL', rule_kinds: ['budget'] }],
    });
    const after = (await get('/reports/rejections?from=2026-12-01&to=2026-12-31')).json();
    expect(after).toMatchObject({ reason_map_version: 1, preventable: 1, unmapped: 1 });
    expect(
      after.reasons.find((r: { reason_code: string }) => r.reason_code === 'PORTAL_SPECIAL'),
    ).toMatchObject({ preventable: true, verdict: 'would have been caught by rule budget' });
  });
});
