import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildMatter, buildReleasedEntry, buildUser, signIn } from '../../test/factories.js';
import { billedDraft, caller } from '../../test/invoice-drafts.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;
let call: ReturnType<typeof caller>;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  call = caller(app);
  coordinator = await signIn(
    app,
    (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
  );
});
afterAll(async () => {
  await app.close();
  await t.close();
});
// These tests are about the edits themselves; write-down approval has its own tests.
beforeEach(async () => {
  await t.db
    .updateTable('prebill_setting')
    .set({ write_down_approval_amount_cents: null, write_down_approval_percent: null })
    .execute();
});

const entryRow = (id: number) =>
  t.db.selectFrom('time_entry').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function invoice(id: number) {
  const response = await call('GET', `/invoices/${id}`, coordinator);
  expect(response.statusCode).toBe(200);
  return response.json();
}

async function editLine(id: number, body: object, path = '', method: 'PATCH' | 'POST' = 'PATCH') {
  const { version, lines } = await invoice(id);
  return call(method, `/invoices/${id}/lines/${lines[0].id}${path}`, coordinator, {
    version,
    reason_code: 'excessive_time',
    ...body,
  });
}

describe('pre-bill line edits', () => {
  it('changes hours, rate, narrative and codes on the line only, with one adjustment per change', async () => {
    const draft = await billedDraft(t, app, coordinator);
    const recorded = await entryRow(draft.entries[0]!.id);

    const hours = await editLine(draft.id, { hours: '1.00' });
    expect(hours.statusCode).toBe(200);
    expect(hours.json()).toMatchObject({
      total_cents: 40000,
      worked_fees_cents: 60000,
      lines: [{ units: '1.00', unit_cost_cents: 40000, amount_cents: 40000, worked_units: '1.50' }],
    });
    const rate = await editLine(draft.id, { rate: '350.00', reason_code: 'client_relationship' });
    expect(rate.json()).toMatchObject({ total_cents: 35000 });
    const words = await editLine(draft.id, {
      narrative: 'Draft motion to compel (revised)',
      task_code: 'L310',
      activity_code: 'A104',
      reason_code: 'billing_error',
    });
    expect(words.statusCode).toBe(200);
    const after = words.json();
    expect(after.lines[0]).toMatchObject({
      description: 'Draft motion to compel (revised)',
      task_code: 'L310',
      activity_code: 'A104',
    });
    expect(
      after.adjustments.map((a: Record<string, unknown>) => [
        a.kind,
        a.field,
        a.amount_cents,
        a.reason_code,
        a.state,
      ]),
    ).toEqual([
      ['write_down', 'hours', -20000, 'excessive_time', 'applied'],
      ['write_down', 'rate', -5000, 'client_relationship', 'applied'],
      ['edit', 'narrative', 0, 'billing_error', 'applied'],
      ['edit', 'task_code', 0, 'billing_error', 'applied'],
      ['edit', 'activity_code', 0, 'billing_error', 'applied'],
    ]);
    expect(after.adjustments[0]).toMatchObject({
      before: { units: '1.50', amount_cents: 60000 },
      after: { units: '1.00', amount_cents: 40000 },
    });
    expect(after.adjustments[2]).toMatchObject({
      before: { narrative: 'Draft motion to compel production of documents' },
      after: { narrative: 'Draft motion to compel (revised)' },
    });
    // The recorded time entry is exactly as it was.
    expect(await entryRow(draft.entries[0]!.id)).toEqual(recorded);
    // Every edit is in the audit trail of the invoice.
    const history = (await call('GET', `/invoices/${draft.id}/history`, coordinator)).json();
    expect(
      history.audit_events.filter((e: { action: string }) => e.action === 'invoice.line_edit'),
    ).toHaveLength(3);
  });

  it('lists a line at no charge, excludes it and restores it, keeping totals exact', async () => {
    const draft = await billedDraft(t, app, coordinator, {
      entries: [{ hours: '1.50' }, { hours: '0.25' }],
    });
    const recorded = await entryRow(draft.entries[0]!.id);
    expect((await invoice(draft.id)).total_cents).toBe(70000);

    const free = await editLine(draft.id, { disposition: 'no_charge' }, '/disposition', 'POST');
    expect(free.statusCode).toBe(200);
    expect(free.json()).toMatchObject({ total_cents: 10000 });
    expect(free.json().lines[0]).toMatchObject({
      disposition: 'no_charge',
      units: '1.50',
      adjustment_cents: -60000,
      amount_cents: 0,
    });
    const out = await editLine(draft.id, { disposition: 'exclude' }, '/disposition', 'POST');
    expect(out.json()).toMatchObject({ total_cents: 10000 });
    const back = await editLine(draft.id, { disposition: 'bill' }, '/disposition', 'POST');
    expect(back.json()).toMatchObject({ total_cents: 70000 });
    expect(
      back.json().adjustments.map((a: Record<string, unknown>) => [a.kind, a.amount_cents]),
    ).toEqual([
      ['write_down', -60000],
      ['edit', 0],
      ['write_up', 60000],
    ]);
    expect(await entryRow(draft.entries[0]!.id)).toEqual(recorded);
  });

  it('holds a line to the next cycle: a refresh leaves it out, the next period bills it', async () => {
    const draft = await billedDraft(t, app, coordinator);
    const recorded = await entryRow(draft.entries[0]!.id);
    const held = await editLine(
      draft.id,
      { disposition: 'hold', reason_code: 'next_cycle' },
      '/disposition',
      'POST',
    );
    expect(held.statusCode).toBe(200);
    expect(held.json()).toMatchObject({ total_cents: 0 });
    expect(held.json().adjustments[0]).toMatchObject({
      kind: 'edit',
      field: 'disposition',
      amount_cents: -60000,
    });

    // New October work makes the refresh do something; the held entry stays off.
    await buildReleasedEntry(t.db, {
      matter_id: draft.matter.id,
      timekeeper_id: draft.timekeeper.id,
      hours: '0.50',
    });
    const refresh = await call('POST', '/bill-runs', coordinator, {
      period: '2026-10',
      matter_code: draft.matter.matter_code,
    });
    expect(refresh.json()).toMatchObject({ refreshed: 1, entries_billed: 1 });
    const october = await invoice(draft.id);
    expect(october.total_cents).toBe(20000);
    expect(
      october.lines.filter(
        (l: { time_entry_id: number }) => l.time_entry_id === draft.entries[0]!.id,
      ),
    ).toHaveLength(1);

    const next = await call('POST', '/bill-runs', coordinator, {
      period: '2026-11',
      matter_code: draft.matter.matter_code,
    });
    expect(next.json()).toMatchObject({ created: 1, entries_billed: 1 });
    const november = await invoice(next.json().invoices[0].id);
    expect(november).toMatchObject({
      period_start: '2026-11-01',
      total_cents: 60000,
      lines: [{ time_entry_id: draft.entries[0]!.id, disposition: 'bill', units: '1.50' }],
    });
    expect(await entryRow(draft.entries[0]!.id)).toEqual(recorded);
  });

  it('moves a line to another matter, whose next bill run bills it; the entry keeps its matter', async () => {
    const draft = await billedDraft(t, app, coordinator);
    const recorded = await entryRow(draft.entries[0]!.id);
    const other = await buildMatter(t.db, { client_id: draft.client.id });
    const moved = await editLine(
      draft.id,
      { matter_code: other.matter_code, reason_code: 'wrong_matter' },
      '/move',
      'POST',
    );
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ total_cents: 0 });
    expect(moved.json().lines[0]).toMatchObject({
      disposition: 'moved',
      moved_to_matter_id: other.id,
    });
    expect(moved.json().adjustments[0]).toMatchObject({
      kind: 'edit',
      field: 'matter',
      amount_cents: -60000,
      before: { matter_code: draft.matter.matter_code },
      after: { matter_code: other.matter_code },
    });

    // The source matter's refresh does not take it back; the target's run bills it.
    const again = await call('POST', '/bill-runs', coordinator, {
      period: '2026-10',
      matter_code: draft.matter.matter_code,
    });
    expect(again.json()).toMatchObject({ entries_billed: 0 });
    const target = await call('POST', '/bill-runs', coordinator, {
      period: '2026-10',
      matter_code: other.matter_code,
    });
    expect(target.json()).toMatchObject({ created: 1, entries_billed: 1 });
    const targetInvoice = await invoice(target.json().invoices[0].id);
    expect(targetInvoice).toMatchObject({
      matter_code: other.matter_code,
      total_cents: 60000,
      lines: [{ time_entry_id: draft.entries[0]!.id, disposition: 'bill' }],
    });
    expect(await entryRow(draft.entries[0]!.id)).toEqual(recorded);
  });

  it('refuses edits outside review, by other roles, without a note for "other", or on a stale version', async () => {
    const draft = await billedDraft(t, app, coordinator);
    const noNote = await editLine(draft.id, { hours: '1.00', reason_code: 'other' });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().code).toBe('NOTE_REQUIRED');
    const unknown = await editLine(draft.id, { hours: '1.00', reason_code: 'nope' });
    expect(unknown.json().code).toBe('REASON_CODE_INVALID');

    const { version, lines } = await invoice(draft.id);
    const stale = await call('PATCH', `/invoices/${draft.id}/lines/${lines[0].id}`, coordinator, {
      version: version + 5,
      reason_code: 'excessive_time',
      hours: '1.00',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');

    const asTimekeeper = await call(
      'PATCH',
      `/invoices/${draft.id}/lines/${lines[0].id}`,
      draft.timekeeperCookie,
      { version, reason_code: 'excessive_time', hours: '1.00' },
    );
    expect(asTimekeeper.statusCode).toBe(403);

    // Once review is complete, only the approver signing off may edit.
    for (const to of ['in_review', 'ready_for_approval']) {
      const current = await invoice(draft.id);
      expect(
        (
          await call('POST', `/invoices/${draft.id}/transitions`, coordinator, {
            to,
            version: current.version,
          })
        ).statusCode,
      ).toBe(200);
    }
    const late = await editLine(draft.id, { hours: '1.00' });
    expect(late.statusCode).toBe(403);
    expect(late.json().code).toBe('ROLE_NOT_ALLOWED');
    const current = await invoice(draft.id);
    const byApprover = await call(
      'PATCH',
      `/invoices/${draft.id}/lines/${current.lines[0].id}`,
      draft.approver,
      { version: current.version, reason_code: 'excessive_time', hours: '1.00' },
    );
    expect(byApprover.statusCode).toBe(200);
    const approved = await call('POST', `/invoices/${draft.id}/transitions`, draft.approver, {
      to: 'approved',
      version: byApprover.json().version,
    });
    expect(approved.statusCode).toBe(200);
    const closed = await call(
      'PATCH',
      `/invoices/${draft.id}/lines/${current.lines[0].id}`,
      draft.approver,
      { version: approved.json().version, reason_code: 'excessive_time', hours: '0.50' },
    );
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('INVOICE_NOT_EDITABLE');
  });

  it('answers 404 on a walled matter to a coordinator outside the wall', async () => {
    const member = await buildUser(t.db, { roles: ['billing_coordinator'] });
    const memberCookie = await signIn(app, member.email);
    const draft = await billedDraft(t, app, memberCookie, { restricted: true, member: member.id });
    const { version, lines } = (await call('GET', `/invoices/${draft.id}`, memberCookie)).json();
    const outside = await call('PATCH', `/invoices/${draft.id}/lines/${lines[0].id}`, coordinator, {
      version,
      reason_code: 'excessive_time',
      hours: '1.00',
    });
    expect(outside.statusCode).toBe(404);
    const inside = await call('PATCH', `/invoices/${draft.id}/lines/${lines[0].id}`, memberCookie, {
      version,
      reason_code: 'excessive_time',
      hours: '1.00',
    });
    expect(inside.statusCode).toBe(200);
  });
});
