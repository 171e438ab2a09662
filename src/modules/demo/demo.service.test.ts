import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoIfEmpty } from '../../cli/commands/demo.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { findUserByEmail } from '../auth/auth.repository.js';
import { verifyPassword } from '../auth/password.js';
import { generateDemoFirm } from './demo-firm.js';
import type { DemoLoadReport } from './demo.service.js';
import { DEMO_PASSWORD, loadDemoFirm } from './demo.service.js';

const OPTIONS = { seed: 1998, today: '2026-11-15' };
const firm = generateDemoFirm(OPTIONS);

let database: TestDatabase;
let report: DemoLoadReport;
beforeAll(async () => {
  database = await openTestDatabase();
  report = await loadDemoFirm(database.ctx, OPTIONS);
}, 180_000);
afterAll(() => database?.close());

const count = async (table: string, where = sql`true`) => {
  const { rows } = await sql<{
    n: string;
  }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(database.db);
  return Number(rows[0]!.n);
};

describe('loadDemoFirm', () => {
  it('imports every record of the generated firm', async () => {
    const tables = {
      clients: 'client',
      timekeepers: 'timekeeper',
      users: 'app_user',
      matters: 'matter',
      'matter-timekeepers': 'matter_timekeeper',
      rates: 'rate',
      'time-entries': 'time_entry',
      expenses: 'expense',
    } as const;
    for (const [kind, table] of Object.entries(tables)) {
      const expected = firm[kind as keyof typeof tables].length;
      expect(report.counts[kind as keyof typeof tables], kind).toBe(expected);
      expect(await count(table), table).toBe(expected);
    }
    expect(report.problems).toEqual(firm.problems);
  });

  it('works under the firm-wide and Northwind guidelines, whose findings stand as owned exceptions', async () => {
    expect(report.guidelines).toBe(2);
    expect(await count('guideline_version', sql`status = 'active'`)).toBe(2);
    const open = await database.db
      .selectFrom('guideline_exception')
      .select(['rule_id', 'severity', 'owner_user_id'])
      .where('state', '=', 'open')
      .execute();
    // The planted problems surface: vague narratives, block billing, missing codes, …
    const rules = new Set(open.map((e) => e.rule_id));
    for (const rule of ['vague', 'block-billing', 'codes']) expect(rules, rule).toContain(rule);
    expect(open.filter((e) => e.severity === 'block').length).toBeGreaterThan(20);
    expect(open.some((e) => e.owner_user_id !== null)).toBe(true);
  });

  it('leaves the late releasers’ last week in draft and releases the rest', async () => {
    const drafts = await count('time_entry', sql`status = 'draft'`);
    expect(drafts).toBe(report.draftEntries);
    expect(drafts).toBeGreaterThan(10);
    const draftKeepers = await sql<{ code: string }>`
      select distinct tk.timekeeper_code as code from time_entry te
      join timekeeper tk on tk.id = te.timekeeper_id where te.status = 'draft'
      order by 1`.execute(database.db);
    expect(draftKeepers.rows.map((r) => r.code)).toEqual(firm.drafts.timekeeperCodes);
    expect(await count('time_entry', sql`status = 'released' and released_at is not null`)).toBe(
      firm['time-entries'].length - drafts,
    );
  });

  it('lets every demo user sign in with the demo password', async () => {
    for (const { email } of report.users) {
      const user = await findUserByEmail(database.db, email);
      expect(user?.password_hash, email).toBeTruthy();
    }
    const partner = await findUserByEmail(database.db, 'eleanor.hartwell@hartwell.example');
    expect(await verifyPassword(DEMO_PASSWORD, partner!.password_hash!)).toBe(true);
    expect(await verifyPassword('not-the-password', partner!.password_hash!)).toBe(false);
    expect(partner!.roles).toEqual(['approver', 'timekeeper']);
    expect(partner!.timekeeper_id).not.toBeNull();
  });

  it('walls off the restricted matter to a few members', async () => {
    const members = await sql<{ email: string }>`
      select u.email from matter_member mm
      join matter m on m.id = mm.matter_id join app_user u on u.id = mm.user_id
      where m.restricted order by u.email`.execute(database.db);
    expect(members.rows.map((r) => r.email)).toEqual([...firm.restricted.members].sort());
    expect(members.rows.length).toBeLessThan(report.users.length);
  });

  it('records the load in the audit trail', async () => {
    expect(await count('audit_event', sql`action = 'demo.load'`)).toBe(1);
    expect(await count('audit_event', sql`action like 'import.%'`)).toBe(9);
  });

  it('shows the sign-ins again on a later start without loading twice', async () => {
    const again = await loadDemoIfEmpty(database.ctx);
    expect(again).toEqual({ loaded: false, password: DEMO_PASSWORD, users: report.users });
    expect(await count('client')).toBe(firm.clients.length);
  });
});
