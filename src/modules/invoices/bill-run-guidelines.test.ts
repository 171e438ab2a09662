import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  buildActiveGuideline,
  buildClient,
  buildMatter,
  buildRate,
  buildReleasedEntry,
  buildTimekeeper,
  buildUser,
} from '../../test/factories.js';
import { runBillRun } from './bill-run.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t.close();
});

/** A client whose active guideline has `rules` (YAML flow mappings), with one hourly matter. */
async function setup(rules: string[]) {
  const client = await buildClient(t.db);
  await buildActiveGuideline(
    t.db,
    `id: ${client.client_code.toLowerCase()}-terms
client: ${client.client_code}
name: Terms
effective_from: 2026-01-01
rules:
${rules.map((r) => `  - ${r}`).join('\n')}
`,
    client.id,
  );
  const partner = await buildTimekeeper(t.db, { classification: 'PT' });
  const partnerUser = await buildUser(t.db, { roles: ['approver'], timekeeper_id: partner.id });
  const matter = await buildMatter(t.db, {
    client_id: client.id,
    responsible_attorney_id: partner.id,
  });
  const timekeeper = await buildTimekeeper(t.db, { standard_rate_cents: null });
  const timekeeperUser = await buildUser(t.db, {
    roles: ['timekeeper'],
    timekeeper_id: timekeeper.id,
  });
  await buildRate(t.db, { timekeeper_id: timekeeper.id, rate_cents: 40000 });
  return { client, matter, timekeeper, timekeeperUser, partnerUser };
}

const run = (clientCode: string) =>
  runBillRun(t.ctx, SYSTEM_ACTOR, { period: '2026-10', clientCode });

const invoiceOf = (matterId: number) =>
  t.db
    .selectFrom('invoice')
    .selectAll()
    .where('matter_id', '=', matterId)
    .executeTakeFirstOrThrow();

describe('guidelines on the bill run', () => {
  it('records an adjust finding as a guideline adjustment on the billed values, keeping the worked values', async () => {
    const s = await setup([
      '{ id: cap-rate, kind: rate_cap, params: { max_rate: 350 }, severity: adjust, owner: billing_coordinator }',
    ]);
    const entry = await buildReleasedEntry(t.db, {
      matter_id: s.matter.id,
      timekeeper_id: s.timekeeper.id,
      hours: '2.00',
    });
    await run(s.client.client_code);
    const invoice = await invoiceOf(s.matter.id);
    expect(invoice).toMatchObject({
      state: 'draft',
      fees_cents: 70000,
      worked_fees_cents: 80000,
      total_cents: 70000,
    });
    const line = await t.db
      .selectFrom('invoice_line')
      .selectAll()
      .where('invoice_id', '=', invoice.id)
      .executeTakeFirstOrThrow();
    expect(line).toMatchObject({
      units: '2.00',
      unit_cost_cents: 35000,
      amount_cents: 70000,
      worked_units: '2.00',
      worked_unit_cost_cents: 40000,
      worked_amount_cents: 80000,
    });
    const adjustments = await t.db
      .selectFrom('invoice_adjustment')
      .selectAll()
      .where('invoice_id', '=', invoice.id)
      .execute();
    expect(adjustments).toMatchObject([
      {
        kind: 'guideline',
        reason_code: 'guideline:cap-rate',
        field: 'rate',
        invoice_line_id: line.id,
        amount_cents: -10000,
        state: 'applied',
        before: { unit_cost_cents: 40000, amount_cents: 80000 },
        after: { unit_cost_cents: 35000, amount_cents: 70000 },
      },
    ]);
    const recorded = await t.db
      .selectFrom('time_entry')
      .select(['hours', 'rate_cents', 'amount_cents', 'status'])
      .where('id', '=', entry.id)
      .executeTakeFirstOrThrow();
    expect(recorded).toEqual({
      hours: '2.00',
      rate_cents: null,
      amount_cents: null,
      status: 'released',
    });
  });

  it('moves a draft with a blocking finding to exception, owned by the user the rule names', async () => {
    const s = await setup([
      '{ id: long-entry, kind: max_entry_hours, params: { hours: 4 }, severity: block, owner: timekeeper }',
    ]);
    const entry = await buildReleasedEntry(t.db, {
      matter_id: s.matter.id,
      timekeeper_id: s.timekeeper.id,
      hours: '5.00',
    });
    const report = await run(s.client.client_code);
    expect(report.invoices[0]).toMatchObject({ state: 'exception', outcome: 'created' });
    const invoice = await invoiceOf(s.matter.id);
    expect(invoice).toMatchObject({
      state: 'exception',
      previous_state: 'draft',
      owner_role: 'timekeeper',
      owner_user_id: s.timekeeperUser.id,
      // Created, then moved to exception: each change of state is a new version.
      version: 2,
    });
    const stages = await t.db
      .selectFrom('invoice_stage_event')
      .select(['from_state', 'to_state', 'owner_user_id', 'reason'])
      .where('invoice_id', '=', invoice.id)
      .orderBy('id')
      .execute();
    expect(stages).toEqual([
      expect.objectContaining({ from_state: null, to_state: 'draft' }),
      {
        from_state: 'draft',
        to_state: 'exception',
        owner_user_id: s.timekeeperUser.id,
        reason: 'guideline:long-entry',
      },
    ]);
    const exception = await t.db
      .selectFrom('guideline_exception')
      .select(['state', 'severity', 'owner_user_id'])
      .where('time_entry_id', '=', entry.id)
      .executeTakeFirstOrThrow();
    expect(exception).toEqual({
      state: 'open',
      severity: 'block',
      owner_user_id: s.timekeeperUser.id,
    });
  });

  it('runs invoice-level rules on the draft', async () => {
    const s = await setup([
      '{ id: big-bill, kind: invoice_total_threshold, params: { max_amount: 500 }, severity: block, owner: responsible_attorney }',
    ]);
    await buildReleasedEntry(t.db, {
      matter_id: s.matter.id,
      timekeeper_id: s.timekeeper.id,
      hours: '2.00',
    });
    await run(s.client.client_code);
    const invoice = await invoiceOf(s.matter.id);
    expect(invoice).toMatchObject({
      state: 'exception',
      owner_role: 'responsible_attorney',
      owner_user_id: s.partnerUser.id,
    });
    const exception = await t.db
      .selectFrom('guideline_exception')
      .select(['entity_type', 'entity_external_id', 'rule_id', 'state'])
      .where('invoice_id', '=', invoice.id)
      .executeTakeFirstOrThrow();
    expect(exception).toEqual({
      entity_type: 'invoice',
      entity_external_id: invoice.invoice_number,
      rule_id: 'big-bill',
      state: 'open',
    });
    // A second run finds the same and changes nothing.
    expect(await run(s.client.client_code)).toMatchObject({ unchanged: 1 });
  });
});
