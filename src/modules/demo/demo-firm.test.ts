import { describe, expect, it } from 'vitest';
import { isIsoDate } from '../../domain/dates.js';
import { ROLES } from '../../domain/roles.js';
import type { DemoRecordKind } from './demo-firm.js';
import { DEMO_IMPORT_ORDER, PROBLEM_KINDS, generateDemoFirm } from './demo-firm.js';
import { MATTERS } from './demo-matters.js';
import { ACTIVITY_CODES, NARRATIVES } from './demo-vocabulary.js';

const TODAY = '2026-11-15';
const firm = generateDemoFirm({ seed: 1998, today: TODAY });

/** The CSV headers of each import kind, as the import documentation lists them. */
const HEADERS: Record<DemoRecordKind, string> = {
  clients: 'client_code,name,currency,ebilling_format,ebilling_client_id,law_firm_id',
  timekeepers:
    'timekeeper_code,first_name,last_name,classification,email,standard_rate,currency,practice_group',
  users: 'email,name,roles,timekeeper_code',
  matters:
    'matter_code,client_code,client_matter_id,name,practice_area,jurisdiction,office,fee_arrangement,fee_amount,responsible_attorney,billing_partner,billing_coordinator,budget,status,opened_on,closed_on,restricted',
  'matter-timekeepers': 'matter_code,timekeeper_code,approved_rate',
  rates: 'timekeeper_code,client_code,matter_code,rate,currency,effective_from,effective_to',
  'time-entries':
    'entry_id,matter_code,timekeeper_code,work_date,hours,narrative,task_code,activity_code,billable',
  expenses:
    'expense_id,matter_code,timekeeper_code,expense_date,expense_code,description,quantity,unit_cost',
};

const DECIMAL_2 = /^\d+(\.\d{1,2})?$/;
const entries = firm['time-entries'];
const flagged = (problem: string) =>
  new Set(firm.flags.filter((f) => f.problem === problem).map((f) => f.id));
const cleanEntries = entries.filter((e) => !firm.flags.some((f) => f.id === e.entry_id));

describe('generateDemoFirm', () => {
  it('gives byte-identical records for the same seed and day', () => {
    const again = generateDemoFirm({ seed: 1998, today: TODAY });
    expect(JSON.stringify(again)).toBe(JSON.stringify(firm));
  });

  it('gives different work for a different seed', () => {
    const other = generateDemoFirm({ seed: 7, today: TODAY });
    expect(JSON.stringify(other['time-entries'])).not.toBe(JSON.stringify(entries));
    expect(other.clients).toEqual(firm.clients);
  });

  it('refuses a day that is not a calendar date', () => {
    expect(() => generateDemoFirm({ seed: 1, today: '2026-02-30' })).toThrow(/YYYY-MM-DD/);
  });

  it('puts the work in the two calendar months before today, across a year end', () => {
    expect(firm.period).toEqual({
      from: '2026-09-01',
      secondMonth: '2026-10-01',
      to: '2026-10-31',
    });
    const january = generateDemoFirm({ seed: 1998, today: '2027-01-04' });
    expect(january.period).toEqual({
      from: '2026-11-01',
      secondMonth: '2026-12-01',
      to: '2026-12-31',
    });
    const outside = flagged('outside_period');
    for (const e of entries.filter((e) => !outside.has(e.entry_id))) {
      expect(e.work_date >= firm.period.from && e.work_date <= firm.period.to).toBe(true);
    }
  });

  it('writes every record with exactly the CSV headers of its kind, values as CSV text', () => {
    for (const kind of DEMO_IMPORT_ORDER) {
      expect(firm[kind].length, kind).toBeGreaterThan(0);
      for (const record of firm[kind] as Record<string, string>[]) {
        expect(Object.keys(record).join(','), kind).toBe(HEADERS[kind]);
        for (const value of Object.values(record)) expect(typeof value).toBe('string');
      }
    }
  });

  it('has clients on each e-billing format, with portal ids for the LEDES clients', () => {
    expect(firm.clients.length).toBeGreaterThanOrEqual(3);
    const formats = new Set(firm.clients.map((c) => c.ebilling_format));
    expect(formats).toEqual(new Set(['none', 'LEDES1998B', 'LEDES98BI']));
    const b98 = firm.clients.find((c) => c.ebilling_format === 'LEDES1998B')!;
    expect(b98.ebilling_client_id).not.toBe('');
    expect(b98.law_firm_id).not.toBe('');
    const bi = firm.clients.find((c) => c.ebilling_format === 'LEDES98BI')!;
    expect(['GBP', 'EUR']).toContain(bi.currency);
  });

  it('has 12+ matters on all four fee arrangements, one closed and one walled off', () => {
    const { matters } = firm;
    expect(matters.length).toBeGreaterThanOrEqual(12);
    expect(new Set(matters.map((m) => m.fee_arrangement))).toEqual(
      new Set(['hourly', 'flat', 'contingency', 'capped']),
    );
    const codes = new Set(firm.timekeepers.map((t) => t.timekeeper_code));
    const emails = new Set(firm.users.map((u) => u.email));
    for (const m of matters) {
      if (m.fee_arrangement === 'flat' || m.fee_arrangement === 'capped')
        expect(m.fee_amount).toMatch(DECIMAL_2);
      if (m.fee_arrangement === 'hourly') expect(m.fee_amount).toBe('');
      expect(codes.has(m.responsible_attorney) && codes.has(m.billing_partner)).toBe(true);
      expect(emails.has(m.billing_coordinator)).toBe(true);
      expect(isIsoDate(m.opened_on)).toBe(true);
      if (m.status === 'closed') expect(m.closed_on >= m.opened_on).toBe(true);
    }
    expect(matters.filter((m) => m.status === 'closed')).toHaveLength(1);
    expect(matters.filter((m) => m.restricted === 'yes')).toHaveLength(1);
    expect(new Set(matters.map((m) => m.practice_area)).size).toBeGreaterThanOrEqual(6);
  });

  it('has 15+ timekeepers covering every classification, and users for every role', () => {
    expect(firm.timekeepers.length).toBeGreaterThanOrEqual(15);
    expect(new Set(firm.timekeepers.map((t) => t.classification))).toEqual(
      new Set(['PT', 'OC', 'AS', 'PL', 'LA', 'OT']),
    );
    const roles = new Set(firm.users.flatMap((u) => u.roles.split(';')));
    expect(roles).toEqual(new Set(ROLES));
    const codes = new Set(firm.timekeepers.map((t) => t.timekeeper_code));
    for (const u of firm.users)
      if (u.timekeeper_code) expect(codes.has(u.timekeeper_code)).toBe(true);
    expect(firm.users.some((u) => u.roles === 'approver;timekeeper' && u.timekeeper_code)).toBe(
      true,
    );
    expect(firm.signIns.map((s) => s.email)).toEqual(firm.users.map((u) => u.email));
  });

  it('has a rate card with client, matter and mid-period rates that never overlap', () => {
    const { rates } = firm;
    expect(rates.some((r) => r.client_code && !r.matter_code)).toBe(true);
    expect(rates.some((r) => r.matter_code)).toBe(true);
    expect(rates.some((r) => r.effective_from === firm.period.secondMonth)).toBe(true);
    const scopes = new Map<string, typeof rates>();
    for (const r of rates) {
      const key = [r.timekeeper_code, r.client_code, r.matter_code, r.currency].join('|');
      scopes.set(key, [...(scopes.get(key) ?? []), r]);
    }
    for (const group of scopes.values()) {
      const sorted = [...group].sort((a, b) => a.effective_from.localeCompare(b.effective_from));
      for (let i = 1; i < sorted.length; i++) {
        const before = sorted[i - 1]!.effective_to;
        expect(before !== '' && before < sorted[i]!.effective_from).toBe(true);
      }
    }
  });

  it('records 1,500+ realistic entries over two months and 100+ coded expenses', () => {
    expect(entries.length).toBeGreaterThanOrEqual(1500);
    const months = new Set(entries.map((e) => e.work_date.slice(0, 7)));
    expect(months.has('2026-09') && months.has('2026-10')).toBe(true);
    for (const e of entries) {
      expect(e.hours).toMatch(DECIMAL_2);
      expect(Number(e.hours) > 0 && Number(e.hours) <= 24).toBe(true);
      expect(['yes', 'no']).toContain(e.billable);
    }
    const weekend = entries.filter((e) => [0, 6].includes(new Date(e.work_date).getUTCDay()));
    expect(weekend.length / entries.length).toBeLessThan(0.05);
    const typical = cleanEntries.filter((e) => Number(e.hours) >= 0.2 && Number(e.hours) <= 3.5);
    expect(typical.length / cleanEntries.length).toBeGreaterThan(0.9);
    expect(firm.expenses.length).toBeGreaterThanOrEqual(100);
    for (const x of firm.expenses) {
      expect(x.expense_code).toMatch(/^E1(0[1-9]|1\d|2[0-4])$/);
      expect(x.unit_cost).toMatch(DECIMAL_2);
    }
  });

  it('codes clean entries from the matter’s own UTBMS task set and the activity codes', () => {
    const codeSet = new Map(MATTERS.map((m) => [m.code, m.codeSet]));
    expect(codeSet.get('HP-1001')).toBe('litigation');
    expect(codeSet.get('HP-5001')).toBe('bankruptcy');
    for (const e of cleanEntries) {
      expect(Object.keys(NARRATIVES[codeSet.get(e.matter_code)!])).toContain(e.task_code);
      expect(ACTIVITY_CODES).toContain(e.activity_code);
      expect(e.narrative).not.toContain(';');
    }
  });

  it('carries every kind of problem, tallied, in about one entry in eight', () => {
    for (const kind of PROBLEM_KINDS) {
      expect(firm.problems[kind], kind).toBeGreaterThan(0);
      expect(firm.problems[kind]).toBe(firm.flags.filter((f) => f.problem === kind).length);
    }
    const withProblems = new Set(
      firm.flags.filter((f) => f.kind === 'time-entries').map((f) => f.id),
    );
    const share = withProblems.size / entries.length;
    expect(share).toBeGreaterThanOrEqual(0.1);
    expect(share).toBeLessThanOrEqual(0.15);
  });

  it('flags problems that are really in the records', () => {
    const byId = new Map(entries.map((e) => [e.entry_id, e]));
    for (const id of flagged('vague_narrative'))
      expect(byId.get(id)!.narrative.split(' ').length).toBeLessThanOrEqual(4);
    for (const id of flagged('block_billing')) expect(byId.get(id)!.narrative).toContain('; ');
    for (const id of flagged('non_tenth_hours')) expect(byId.get(id)!.hours).toMatch(/\.\d5$/);
    for (const id of flagged('missing_code')) {
      const e = byId.get(id)!;
      expect(e.task_code === '' || e.activity_code === '').toBe(true);
    }
    expect([...flagged('invalid_code')].map((id) => byId.get(id)!)).toEqual(
      expect.arrayContaining([expect.objectContaining({ task_code: 'L999' })]),
    );
    for (const id of flagged('duplicate_entry')) {
      const e = byId.get(id)!;
      const twins = entries.filter(
        (o) =>
          o.timekeeper_code === e.timekeeper_code &&
          o.work_date === e.work_date &&
          o.hours === e.hours &&
          o.narrative === e.narrative,
      );
      expect(twins.length).toBeGreaterThanOrEqual(2);
    }
    const days = new Map<string, number>();
    for (const e of entries) {
      const key = `${e.timekeeper_code}|${e.work_date}`;
      days.set(key, (days.get(key) ?? 0) + Math.round(Number(e.hours) * 100));
    }
    const long = entries.filter((e) => days.get(`${e.timekeeper_code}|${e.work_date}`)! > 800);
    expect(new Set(long.map((e) => e.entry_id))).toEqual(flagged('over_daily_hours'));
    const approved = new Set(
      firm['matter-timekeepers'].map((a) => `${a.matter_code}|${a.timekeeper_code}`),
    );
    for (const id of flagged('unapproved_timekeeper')) {
      const e = byId.get(id)!;
      expect(approved.has(`${e.matter_code}|${e.timekeeper_code}`)).toBe(false);
    }
  });
});
