import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGuideline, effectiveRules, parseGuideline } from '../../domain/guidelines/index.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  buildActiveGuideline,
  buildClient,
  buildExpense,
  buildMatter,
  buildTimeEntry,
  buildTimekeeper,
} from '../../test/factories.js';
import { scanWork } from './scan.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t.close();
});

const guideline = (client: string, effectiveFrom = '2026-01-01') => `
id: ${client.toLowerCase()}-ocg
client: ${client}
name: ${client} guideline
effective_from: ${effectiveFrom}
rules:
  - { id: entry-cap, kind: max_entry_hours, params: { hours: 4 }, severity: block, owner: timekeeper }
  - { id: daily, kind: max_daily_hours, params: { hours: 8 }, severity: warn, owner: responsible_attorney }
  - { id: copies, kind: expense_cap, params: { expense_code: E101, max_amount: 5.00 }, severity: warn, owner: billing_coordinator }
`;

const FIRM_WIDE = `
id: firm-ocg
client: '*'
name: Firm-wide
effective_from: 2026-01-01
rules:
  - { id: banned, kind: banned_terms, params: { terms: [status report] }, severity: warn, owner: timekeeper }
`;

describe('scanWork', () => {
  it('judges unbilled work in the window by the client and firm-wide rules, citing each version', async () => {
    const client = await buildClient(t.db, { client_code: 'SCAN1' });
    const other = await buildMatter(t.db, { client_id: client.id, matter_code: 'SCAN1-M2' });
    const matter = await buildMatter(t.db, { client_id: client.id, matter_code: 'SCAN1-M1' });
    const keeper = await buildTimekeeper(t.db);
    await buildActiveGuideline(t.db, guideline('SCAN1'), client.id);
    await buildActiveGuideline(t.db, FIRM_WIDE, null);
    const long = await buildTimeEntry(t.db, {
      entry_id: 'SCAN1-A',
      matter_id: matter.id,
      timekeeper_id: keeper.id,
      work_date: '2026-10-05',
      hours: '5.00',
      narrative: 'Status report to the client on the motion',
    });
    await buildTimeEntry(t.db, {
      entry_id: 'SCAN1-B',
      matter_id: other.id,
      timekeeper_id: keeper.id,
      work_date: '2026-10-05',
      hours: '3.50',
      status: 'billed',
      released_at: new Date(),
    });
    await buildTimeEntry(t.db, {
      entry_id: 'SCAN1-OUT',
      matter_id: matter.id,
      timekeeper_id: keeper.id,
      work_date: '2026-11-05',
      hours: '6.00',
    });
    await buildExpense(t.db, {
      expense_id: 'SCAN1-X',
      matter_id: matter.id,
      expense_date: '2026-10-06',
      quantity: '100',
      unit_cost_cents: 10,
      amount_cents: 1000,
    });

    const result = await scanWork(t.ctx, SYSTEM_ACTOR, {
      from: '2026-10-01',
      to: '2026-10-31',
      clientCode: 'SCAN1',
    });
    expect(result.entriesChecked).toBe(1);
    expect(result.expensesChecked).toBe(1);
    const summary = result.findings.map((f) => [f.ruleId, f.entityId, f.entityDbId, f.guidelineId]);
    expect(summary.sort()).toEqual(
      [
        ['banned', 'SCAN1-A', long.id, 'firm-ocg'],
        ['copies', 'SCAN1-X', expect.any(Number), 'scan1-ocg'],
        ['daily', 'SCAN1-A', long.id, 'scan1-ocg'],
        ['entry-cap', 'SCAN1-A', long.id, 'scan1-ocg'],
      ].sort(),
    );
    expect(result.findings.every((f) => f.guidelineVersion === 1)).toBe(true);
    expect(result.findings.every((f) => f.matterDbId === matter.id)).toBe(true);
  });

  it('takes the rules to apply from the caller (a draft in the sandbox)', async () => {
    const client = await buildClient(t.db, { client_code: 'SCAN2' });
    const matter = await buildMatter(t.db, { client_id: client.id });
    await buildTimeEntry(t.db, { entry_id: 'SCAN2-A', matter_id: matter.id, hours: '9.00' });
    const parsed = parseGuideline(guideline('SCAN2'));
    if ('errors' in parsed) throw new Error('bad guideline');
    const draft = compileGuideline(effectiveRules(null, parsed.guideline), {
      guidelineId: 'draft',
      guidelineVersion: 7,
    });
    const window = { from: '2026-10-01', to: '2026-10-31', clientCode: 'SCAN2' };
    expect((await scanWork(t.ctx, SYSTEM_ACTOR, window)).findings).toEqual([]);
    const tried = await scanWork(t.ctx, SYSTEM_ACTOR, window, {
      rulesForClient: async () => draft,
    });
    expect(tried.findings.map((f) => f.ruleId).sort()).toEqual(['daily', 'entry-cap']);
    expect(tried.findings[0]?.guidelineVersion).toBe(7);
  });

  it('leaves work dated before a guideline takes effect to the rules in effect then', async () => {
    const client = await buildClient(t.db, { client_code: 'SCAN3' });
    const matter = await buildMatter(t.db, { client_id: client.id });
    await buildActiveGuideline(t.db, guideline('SCAN3', '2026-10-10'), client.id);
    await buildTimeEntry(t.db, {
      entry_id: 'SCAN3-EARLY',
      matter_id: matter.id,
      work_date: '2026-10-09',
      hours: '5.00',
    });
    await buildTimeEntry(t.db, {
      entry_id: 'SCAN3-LATE',
      matter_id: matter.id,
      work_date: '2026-10-10',
      hours: '5.00',
    });
    const result = await scanWork(t.ctx, SYSTEM_ACTOR, {
      from: '2026-10-01',
      to: '2026-10-31',
      clientCode: 'SCAN3',
    });
    expect(result.findings.map((f) => f.entityId)).toEqual(['SCAN3-LATE']);
  });

  it('refuses an unknown client or matter and dates out of order', async () => {
    await expect(
      scanWork(t.ctx, SYSTEM_ACTOR, { from: '2026-10-01', to: '2026-10-31', clientCode: 'NOPE' }),
    ).rejects.toMatchObject({ code: 'CLIENT_NOT_FOUND' });
    await expect(
      scanWork(t.ctx, SYSTEM_ACTOR, { from: '2026-10-01', to: '2026-10-31', matterCode: 'NOPE' }),
    ).rejects.toMatchObject({ code: 'MATTER_NOT_FOUND' });
    await expect(
      scanWork(t.ctx, SYSTEM_ACTOR, { from: '2026-10-31', to: '2026-10-01' }),
    ).rejects.toMatchObject({ code: 'SCAN_WINDOW_INVALID' });
  });
});
