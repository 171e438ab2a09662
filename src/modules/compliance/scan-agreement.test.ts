import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { importRecords } from '../import-export/import.service.js';
import {
  createTimeEntry,
  deactivateTimeEntry,
  updateTimeEntry,
} from '../time-entries/time-entries.service.js';
import { checkExpense, checkTimeEntry } from './check-work.js';
import { scanWork } from './scan.js';
import type { ScanFinding } from './scan-finding.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t.close();
});

const FIRM = `
id: firm
client: '*'
name: Firm-wide
effective_from: 2026-01-01
rules:
  - { id: fields, kind: required_fields, params: { fields: [task_code, activity_code, narrative, expense_code] }, severity: block, owner: timekeeper }
  - { id: daily, kind: max_daily_hours, params: { hours: 8 }, severity: warn, owner: timekeeper }
  - { id: duplicates, kind: duplicate_entry, severity: block, owner: timekeeper }
`;
const CLIENT = `
id: agree-ocg
client: AGREE
name: Agree guideline
effective_from: 2026-01-01
rules:
  - { id: daily, kind: max_daily_hours, params: { hours: 6 }, severity: block, owner: responsible_attorney }
  - { id: conferences, kind: internal_conference, params: { activity_codes: [A105], max_timekeepers: 1 }, severity: warn, owner: billing_coordinator }
  - { id: block-billing, kind: block_billing, severity: warn, owner: timekeeper }
  - { id: cap, kind: max_entry_hours, params: { hours: 4 }, severity: block, owner: timekeeper }
`;

// Every cross-entry kind plus a per-entry one, so neighbours carry exceptions of kinds a
// save does not re-judge for them.
const SHUFFLE_RULES = (client: string) => `
id: ${client.toLowerCase()}-ocg
client: ${client}
name: Shuffled saves
effective_from: 2026-01-01
rules:
  - { id: fields, kind: required_fields, params: { fields: [task_code] }, severity: warn, owner: timekeeper }
  - { id: daily, kind: max_daily_hours, params: { hours: 6 }, severity: block, owner: responsible_attorney }
  - { id: duplicates, kind: duplicate_entry, severity: block, owner: timekeeper }
  - { id: conferences, kind: internal_conference, params: { activity_codes: [A105], max_timekeepers: 1 }, severity: warn, owner: billing_coordinator }
  - { id: cap, kind: max_entry_hours, params: { hours: 4 }, severity: block, owner: timekeeper }
`;

/** mulberry32: a small seeded generator, so a failing order can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const key = (f: ScanFinding) => `${f.ruleId}|${f.entity}|${f.entityDbId}|${f.message}`;

describe('single-entry checks and the bulk scan', () => {
  it('reach the same findings and exceptions on a mixed dataset saved one entry at a time', async () => {
    const client = await buildClient(t.db, { client_code: 'AGREE' });
    await buildActiveGuideline(t.db, FIRM, null);
    await buildActiveGuideline(t.db, CLIENT, client.id);
    const m1 = await buildMatter(t.db, { client_id: client.id });
    const m2 = await buildMatter(t.db, { client_id: client.id });
    const [k1, k2, k3] = [
      await buildTimekeeper(t.db),
      await buildTimekeeper(t.db),
      await buildTimekeeper(t.db),
    ];
    const plan = [
      {
        m: m1,
        k: k1,
        d: '2026-10-05',
        h: '3.00',
        a: 'A105',
        n: 'Conference with team re strategy',
      },
      {
        m: m1,
        k: k2,
        d: '2026-10-05',
        h: '1.00',
        a: 'A105',
        n: 'Conference with team re strategy',
      },
      { m: m2, k: k1, d: '2026-10-05', h: '2.50', a: 'A103', n: 'Draft brief; revise exhibits' },
      { m: m2, k: k1, d: '2026-10-05', h: '2.50', a: 'A103', n: 'draft brief; revise exhibits.' },
      { m: m1, k: k3, d: '2026-10-06', h: '4.50', a: null, n: 'Review production set' },
      {
        m: m1,
        k: k3,
        d: '2026-10-06',
        h: '1.00',
        a: 'A104',
        n: 'Review production set',
        s: 'billed',
      },
      { m: m2, k: k2, d: '2026-10-06', h: '2.00', a: 'A104', n: 'Analyze claim file', b: false },
      {
        m: m2,
        k: k2,
        d: '2026-10-07',
        h: '7.00',
        a: 'A104',
        n: 'Trial preparation',
        active: false,
      },
    ];
    for (const p of plan) {
      const row = await buildTimeEntry(t.db, {
        matter_id: p.m.id,
        timekeeper_id: p.k.id,
        work_date: p.d,
        hours: p.h,
        activity_code: p.a,
        narrative: p.n,
        billable: p.b ?? true,
        active: p.active ?? true,
        status: p.s ?? 'draft',
        released_at: p.s === undefined ? null : new Date(),
      });
      await t.db
        .transaction()
        .execute((trx) => checkTimeEntry(trx, SYSTEM_ACTOR, row.id, t.clock.now()));
    }
    for (const code of ['E101', 'E101', null]) {
      const row = await buildExpense(t.db, {
        matter_id: m1.id,
        expense_date: '2026-10-05',
        expense_code: code,
      });
      await t.db
        .transaction()
        .execute((trx) => checkExpense(trx, SYSTEM_ACTOR, row.id, t.clock.now()));
    }

    const scan = await scanWork(t.ctx, SYSTEM_ACTOR, {
      from: '2026-10-01',
      to: '2026-10-31',
      clientCode: 'AGREE',
    });
    const kinds = new Set(scan.findings.map((f) => f.kind));
    for (const kind of [
      'max_daily_hours',
      'duplicate_entry',
      'internal_conference',
      'required_fields',
      'max_entry_hours',
    ])
      expect(kinds).toContain(kind);

    const open = await t.db
      .selectFrom('guideline_exception')
      .select(['rule_id', 'entity_type', 'time_entry_id', 'expense_id', 'message'])
      .where('state', '=', 'open')
      .execute();
    const stored = open.map(
      (e) => `${e.rule_id}|${e.entity_type}|${e.time_entry_id ?? e.expense_id}|${e.message}`,
    );
    expect(stored.sort()).toEqual(scan.findings.map(key).sort());

    const single: ScanFinding[] = [];
    await t.db.transaction().execute(async (trx) => {
      const entries = await trx
        .selectFrom('time_entry')
        .select('id')
        .where('matter_id', 'in', [m1.id, m2.id])
        .execute();
      for (const e of entries)
        single.push(...(await checkTimeEntry(trx, SYSTEM_ACTOR, e.id, t.clock.now())));
      const expenses = await trx
        .selectFrom('expense')
        .select('id')
        .where('matter_id', '=', m1.id)
        .execute();
      for (const x of expenses)
        single.push(...(await checkExpense(trx, SYSTEM_ACTOR, x.id, t.clock.now())));
    });
    expect(single.map(key).sort()).toEqual(scan.findings.map(key).sort());
  });

  it.each([1, 2, 3])(
    'agree after saves, corrections that move entries and deactivations in random order (seed %i)',
    async (seed) => {
      const code = `SHUF${seed}`;
      const client = await buildClient(t.db, { client_code: code });
      await buildActiveGuideline(t.db, SHUFFLE_RULES(code), client.id);
      const matters = [1, 2, 3].map((n) => `${code}-${n}`);
      for (const matter_code of matters)
        await buildMatter(t.db, { client_id: client.id, matter_code });
      const keepers = [1, 2, 3].map((n) => `${code}-K${n}`);
      for (const timekeeper_code of keepers) await buildTimekeeper(t.db, { timekeeper_code });
      const random = seededRandom(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const fields = () => ({
        matter_code: pick(matters),
        work_date: pick(['2026-10-05', '2026-10-06', '2026-10-07']),
        hours: pick(['1.00', '2.50', '2.50', '4.50']),
        narrative: pick([
          'Conference with team re strategy',
          'Draft brief; revise exhibits',
          'draft brief; revise exhibits.',
          'Review production set',
        ]),
        activity_code: pick(['A105', 'A105', 'A103', null]),
        task_code: pick(['L110', 'L110', null]),
      });
      const live = new Map<number, number>();
      const moves = { created: 0, moved: 0, deactivated: 0 };
      for (let step = 0; step < 70; step++) {
        const roll = random();
        const ids = [...live.keys()];
        if (ids.length < 4 || roll < 0.5) {
          const saved = await createTimeEntry(t.ctx, SYSTEM_ACTOR, {
            ...fields(),
            timekeeper_code: pick(keepers),
            billable: random() > 0.1,
          });
          live.set(saved.id, saved.version);
          moves.created++;
        } else if (roll < 0.93) {
          const id = pick(ids);
          // A correction changes a few fields at random: date, matter, hours, narrative, codes.
          const change = Object.fromEntries(Object.entries(fields()).filter(() => random() < 0.5));
          const saved = await updateTimeEntry(t.ctx, SYSTEM_ACTOR, id, {
            version: live.get(id)!,
            ...change,
          });
          live.set(id, saved.version);
          if ('work_date' in change || 'matter_code' in change) moves.moved++;
        } else {
          const id = pick(ids);
          await deactivateTimeEntry(t.ctx, SYSTEM_ACTOR, id, live.get(id)!);
          live.delete(id);
          moves.deactivated++;
        }
      }
      expect(moves.moved).toBeGreaterThan(5);
      expect(moves.deactivated).toBeGreaterThan(0);

      const scan = await scanWork(t.ctx, SYSTEM_ACTOR, {
        from: '2026-10-01',
        to: '2026-10-31',
        clientCode: code,
      });
      const kinds = new Set(scan.findings.map((f) => f.kind));
      for (const kind of [
        'max_daily_hours',
        'duplicate_entry',
        'internal_conference',
        'required_fields',
      ])
        expect(kinds).toContain(kind);
      const open = await t.db
        .selectFrom('guideline_exception as ge')
        .innerJoin('matter as m', 'm.id', 'ge.matter_id')
        .select(['ge.rule_id', 'ge.entity_type', 'ge.time_entry_id', 'ge.message'])
        .where('m.client_id', '=', client.id)
        .where('ge.state', '=', 'open')
        .execute();
      const stored = open.map(
        (e) => `${e.rule_id}|${e.entity_type}|${e.time_entry_id}|${e.message}`,
      );
      expect(stored.sort()).toEqual(scan.findings.map(key).sort());
    },
  );

  it('checks imported work in bulk and counts the findings by severity in the summary', async () => {
    const client = await buildClient(t.db, { client_code: 'IMP' });
    await buildActiveGuideline(
      t.db,
      CLIENT.replace('client: AGREE', 'client: IMP').replace('agree-ocg', 'imp-ocg'),
      client.id,
    );
    await buildMatter(t.db, { client_id: client.id, matter_code: 'IMP-1' });
    await buildTimekeeper(t.db, { timekeeper_code: 'IMP-TK' });
    const row = (entry_id: string, hours: string) => ({
      entry_id,
      matter_code: 'IMP-1',
      timekeeper_code: 'IMP-TK',
      work_date: '2026-10-05',
      hours,
      narrative: 'Draft motion to compel production',
      task_code: 'L250',
      activity_code: 'A103',
      billable: 'yes',
    });
    const summary = await importRecords(t.ctx, SYSTEM_ACTOR, 'time-entries', [
      row('IMP-A', '5.00'),
      row('IMP-B', '2.00'),
    ]);
    expect(summary).toMatchObject({ inserted: 2, findings: { block: 3, warn: 0, adjust: 0 } });
    const stored = await t.db
      .selectFrom('guideline_exception')
      .select(['entity_external_id', 'rule_id'])
      .where('entity_external_id', 'in', ['IMP-A', 'IMP-B'])
      .where('state', '=', 'open')
      .orderBy('entity_external_id')
      .orderBy('rule_id')
      .execute();
    expect(stored.map((s) => `${s.entity_external_id} ${s.rule_id}`)).toEqual([
      'IMP-A cap',
      'IMP-A daily',
      'IMP-B daily',
    ]);
  });
});
