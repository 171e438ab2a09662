import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildUser, signIn } from '../../test/factories.js';
import { billedDraft, caller } from '../../test/invoice-drafts.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;
let admin: string;
let legalOps: string;
let call: ReturnType<typeof caller>;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  call = caller(app);
  coordinator = await signIn(
    app,
    (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
  );
  admin = await signIn(app, (await buildUser(t.db, { roles: ['admin'] })).email);
  legalOps = await signIn(app, (await buildUser(t.db, { roles: ['legal_ops'] })).email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

async function invoice(id: number) {
  return (await call('GET', `/invoices/${id}`, coordinator)).json();
}

async function thresholds(amount: string | null, percent: string | null) {
  const { version } = (await call('GET', '/prebill-settings', coordinator)).json();
  const response = await call('PUT', '/prebill-settings', admin, {
    version,
    write_down_approval_amount: amount,
    write_down_approval_percent: percent,
  });
  expect(response.statusCode).toBe(200);
}

/** A draft whose worked fees are 10 hours at 400.00 = 4,000.00. */
const bigDraft = () => billedDraft(t, app, coordinator, { entries: [{ hours: '10.00' }] });

async function adjust(id: number, body: object, cookie = coordinator) {
  const { version } = await invoice(id);
  return call('POST', `/invoices/${id}/adjustments`, cookie, {
    version,
    kind: 'write_down',
    reason_code: 'client_relationship',
    ...body,
  });
}

async function move(id: number, to: string, cookie = coordinator) {
  const { version } = await invoice(id);
  return call('POST', `/invoices/${id}/transitions`, cookie, { to, version });
}

const last = (detail: { adjustments: { state: string; amount_cents: number }[] }) =>
  detail.adjustments[detail.adjustments.length - 1]!;

describe('write-downs, write-ups and discounts', () => {
  it('writes a line down by amount, percent and hours, and up, keeping totals exact', async () => {
    await thresholds(null, null);
    const draft = await bigDraft();
    const { lines } = await invoice(draft.id);
    const line = lines[0].id;
    const byAmount = await adjust(draft.id, { line_id: line, amount: '100.00' });
    expect(byAmount.statusCode).toBe(200);
    expect(byAmount.json()).toMatchObject({ total_cents: 390000 });
    expect(byAmount.json().lines[0]).toMatchObject({
      units: '10.00',
      adjustment_cents: -10000,
      amount_cents: 390000,
    });
    const byPercent = await adjust(draft.id, { line_id: line, percent: '12.5', kind: 'discount' });
    // 12.5 % of 3,900.00 = 487.50
    expect(byPercent.json()).toMatchObject({ total_cents: 341250 });
    const byHours = await adjust(draft.id, { line_id: line, hours: '0.50' });
    expect(byHours.json().lines[0]).toMatchObject({ units: '9.50', amount_cents: 321250 });
    const up = await adjust(draft.id, { line_id: line, amount: '12.50', kind: 'write_up' });
    expect(up.json()).toMatchObject({ total_cents: 322500 });
    expect(
      up.json().adjustments.map((a: Record<string, unknown>) => [a.kind, a.field, a.amount_cents]),
    ).toEqual([
      ['write_down', 'amount', -10000],
      ['discount', 'amount', -48750],
      ['write_down', 'hours', -20000],
      ['write_up', 'amount', 1250],
    ]);
    // The invoice-level discount is an IF line of its own.
    const whole = await adjust(draft.id, { percent: '10', kind: 'discount' });
    expect(whole.json()).toMatchObject({ fees_cents: 322500, total_cents: 290250 });
    expect(whole.json().lines[1]).toMatchObject({
      line_type: 'IF',
      purpose: 'discount',
      amount_cents: -32250,
      description: 'Discount: Client relationship',
    });
    const entry = await t.db
      .selectFrom('time_entry')
      .select(['hours', 'narrative'])
      .where('id', '=', draft.entries[0]!.id)
      .executeTakeFirstOrThrow();
    expect(entry.hours).toBe('10.00');

    const bad = await adjust(draft.id, { amount: '1.00', percent: '1' });
    expect(bad.statusCode).toBe(400);
    const tooMuch = await adjust(draft.id, { line_id: line, amount: '5000.00' });
    expect(tooMuch.json().code).toBe('ADJUSTMENT_TOO_LARGE');
    const other = await adjust(draft.id, { amount: '1.00', reason_code: 'other' });
    expect(other.json().code).toBe('NOTE_REQUIRED');
    expect(
      (await adjust(draft.id, { amount: '1.00', reason_code: 'other', note: 'Goodwill' }))
        .statusCode,
    ).toBe(200);
  });

  it('needs approval above the amount threshold, not at or below it', async () => {
    await thresholds('500.00', null);
    for (const [amount, state] of [
      ['499.99', 'applied'],
      ['500.00', 'applied'],
      ['500.01', 'pending'],
    ] as const) {
      const draft = await bigDraft();
      const response = await adjust(draft.id, { amount });
      expect(response.statusCode).toBe(200);
      expect(last(response.json()).state).toBe(state);
    }
  });

  it('needs approval above the percent of worked fees, counting the write-downs already made', async () => {
    await thresholds(null, '10');
    const draft = await bigDraft();
    // 10 % of the worked fees of 4,000.00 is 400.00: exactly at it is allowed.
    const at = await adjust(draft.id, { percent: '10' });
    expect(last(at.json())).toMatchObject({ amount_cents: -40000, state: 'applied' });
    const above = await adjust(draft.id, { amount: '0.01' });
    expect(last(above.json()).state).toBe('pending');
    // A line edit that lowers the bill is a write-down too.
    const other = await bigDraft();
    const { version, lines } = await invoice(other.id);
    const edit = await call('PATCH', `/invoices/${other.id}/lines/${lines[0].id}`, coordinator, {
      version,
      hours: '8.90',
      reason_code: 'excessive_time',
    });
    expect(last(edit.json())).toMatchObject({ kind: 'write_down', state: 'pending' });
  });

  it('blocks final approval while a write-down is pending; the next level approves it', async () => {
    await thresholds('500.00', null);
    const draft = await bigDraft();
    const pending = await adjust(draft.id, { amount: '600.00' });
    const adjustment = last(pending.json()) as unknown as { id: number; state: string };
    expect(adjustment.state).toBe('pending');
    // Pending, it already shows in the totals; the line cannot be edited meanwhile.
    expect(pending.json().total_cents).toBe(340000);

    expect((await move(draft.id, 'in_review')).statusCode).toBe(200);
    expect((await move(draft.id, 'ready_for_approval')).statusCode).toBe(200);
    const blocked = await move(draft.id, 'approved', draft.approver);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().code).toBe('WRITE_DOWNS_PENDING');

    const { version } = await invoice(draft.id);
    const byCoordinator = await call(
      'POST',
      `/invoices/${draft.id}/adjustments/${adjustment.id}/decision`,
      coordinator,
      { decision: 'approve', version },
    );
    expect(byCoordinator.statusCode).toBe(403);
    const approved = await call(
      'POST',
      `/invoices/${draft.id}/adjustments/${adjustment.id}/decision`,
      draft.approver,
      { decision: 'approve', version },
    );
    expect(approved.statusCode).toBe(200);
    expect(last(approved.json())).toMatchObject({ state: 'applied' });
    expect((await move(draft.id, 'approved', draft.approver)).statusCode).toBe(200);
  });

  it('never lets the requester approve their own write-down, and rejection undoes it', async () => {
    await thresholds('500.00', null);
    const draft = await bigDraft();
    expect((await move(draft.id, 'in_review')).statusCode).toBe(200);
    expect((await move(draft.id, 'ready_for_approval')).statusCode).toBe(200);
    const { lines } = await invoice(draft.id);
    const mine = await adjust(draft.id, { line_id: lines[0].id, hours: '2.00' }, draft.approver);
    const adjustment = last(mine.json()) as unknown as { id: number; state: string };
    expect(adjustment.state).toBe('pending');
    expect(mine.json().lines[0]).toMatchObject({ units: '8.00', amount_cents: 320000 });

    const decide = async (cookie: string, decision: string) => {
      const { version } = await invoice(draft.id);
      return call('POST', `/invoices/${draft.id}/adjustments/${adjustment.id}/decision`, cookie, {
        decision,
        version,
      });
    };
    // The review data names who decides, and offers the decision only to them.
    const review = async (cookie: string) =>
      (await call('GET', `/invoices/${draft.id}/prebill.json`, cookie)).json();
    const asApprover = await review(draft.approver);
    expect(asApprover.pending).toEqual([
      {
        adjustment_id: adjustment.id,
        deciders: 'legal ops (the write-down was asked by the top of the approver chain)',
        may_decide: false,
      },
    ]);
    expect(asApprover.may).toEqual({ edit_lines: true, ask_questions: false, export_ledes: false });
    expect(asApprover.packet.totals).toMatchObject({
      worked_fees_cents: 400000,
      pending_write_downs_cents: 80000,
      pending_write_downs: 1,
    });
    expect((await review(legalOps)).pending[0].may_decide).toBe(true);
    expect((await review(coordinator)).may.edit_lines).toBe(false);
    const own = await decide(draft.approver, 'approve');
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('SAME_PERSON');
    // The approver is the top of a one-level chain: legal ops decides.
    const rejected = await decide(legalOps, 'reject');
    expect(rejected.statusCode).toBe(200);
    expect(last(rejected.json()).state).toBe('rejected');
    expect(rejected.json()).toMatchObject({ total_cents: 400000 });
    expect(rejected.json().lines[0]).toMatchObject({ units: '10.00', amount_cents: 400000 });
    expect((await decide(legalOps, 'approve')).json().code).toBe('ADJUSTMENT_NOT_PENDING');
  });
});

describe('reason codes and thresholds', () => {
  it('lets admins add and disable reason codes; disabled codes cannot be cited', async () => {
    await thresholds(null, null);
    const added = await call('POST', '/adjustment-reasons', admin, {
      code: 'scope_creep',
      label: 'Outside the agreed scope',
    });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ code: 'scope_creep', requires_note: false, active: true });
    expect(
      (await call('POST', '/adjustment-reasons', admin, { code: 'scope_creep', label: 'x' }))
        .statusCode,
    ).toBe(409);
    expect(
      (await call('POST', '/adjustment-reasons', coordinator, { code: 'mine', label: 'x' }))
        .statusCode,
    ).toBe(403);
    const codes = (await call('GET', '/adjustment-reasons', coordinator)).json().items;
    expect(codes.map((c: { code: string }) => c.code)).toContain('scope_creep');
    expect(codes.find((c: { code: string }) => c.code === 'other')).toMatchObject({
      requires_note: true,
    });

    const draft = await bigDraft();
    expect(
      (await adjust(draft.id, { amount: '1.00', reason_code: 'scope_creep' })).statusCode,
    ).toBe(200);
    const disabled = await call('PATCH', '/adjustment-reasons/scope_creep', admin, {
      active: false,
    });
    expect(disabled.json()).toMatchObject({ active: false });
    const refused = await adjust(draft.id, { amount: '1.00', reason_code: 'scope_creep' });
    expect(refused.json().code).toBe('REASON_CODE_INVALID');
    const all = (await call('GET', '/adjustment-reasons?include_inactive=true', admin)).json();
    expect(all.items.find((c: { code: string }) => c.code === 'scope_creep').active).toBe(false);
  });

  it('lets admins relabel a reason code and require a note, with an audit event', async () => {
    await call('POST', '/adjustment-reasons', admin, { code: 'late_entry', label: 'Late' });
    const relabelled = await call('PATCH', '/adjustment-reasons/late_entry', admin, {
      label: 'Entered after the billing cut-off',
      requires_note: true,
    });
    expect(relabelled.statusCode).toBe(200);
    expect(relabelled.json()).toEqual({
      code: 'late_entry',
      label: 'Entered after the billing cut-off',
      requires_note: true,
      active: true,
    });
    const empty = await call('PATCH', '/adjustment-reasons/late_entry', admin, {});
    expect(empty.statusCode).toBe(400);
    const blank = await call('PATCH', '/adjustment-reasons/late_entry', admin, { label: ' ' });
    expect(blank.json().details.issues[0].field).toContain('label');
    expect(
      (await call('PATCH', '/adjustment-reasons/late_entry', coordinator, { label: 'x' }))
        .statusCode,
    ).toBe(403);
    const audit = await sql<{ action: string; after: { label: string } }>`
      select action, after from audit_event
      where entity_type = 'adjustment_reason' and entity_id = 'late_entry' order by id`.execute(
      t.db,
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'adjustment_reason.create',
      'adjustment_reason.update',
    ]);
    expect(audit.rows[1]!.after.label).toBe('Entered after the billing cut-off');
  });

  it('keeps thresholds to admins, validated and versioned', async () => {
    const current = (await call('GET', '/prebill-settings', coordinator)).json();
    const body = {
      version: current.version,
      write_down_approval_amount: '750.00',
      write_down_approval_percent: '12.5',
    };
    expect((await call('PUT', '/prebill-settings', coordinator, body)).statusCode).toBe(403);
    const bad = await call('PUT', '/prebill-settings', admin, {
      ...body,
      write_down_approval_percent: '120',
    });
    expect(bad.statusCode).toBe(400);
    const set = await call('PUT', '/prebill-settings', admin, body);
    expect(set.json()).toMatchObject({
      write_down_approval_amount: '750.00',
      write_down_approval_percent: '12.50',
    });
    expect((await call('PUT', '/prebill-settings', admin, body)).statusCode).toBe(409);
  });
});
