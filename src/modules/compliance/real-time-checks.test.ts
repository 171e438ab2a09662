import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  buildActiveGuideline,
  buildClient,
  buildMatter,
  buildRate,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: { id: number; cookie: string };

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  const user = await buildUser(t.db, { roles: ['billing_coordinator'] });
  coordinator = { id: user.id, cookie: await signIn(app, user.email) };
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function call(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
  return app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie: coordinator.cookie },
    payload,
  });
}

const RULES = (client: string) => `
id: ${client.toLowerCase()}-ocg
client: ${client}
name: ${client} billing guidelines
effective_from: 2026-01-01
rules:
  - { id: entry-cap, kind: max_entry_hours, params: { hours: 4 }, severity: block, owner: timekeeper, message: "OCG 5.2" }
  - { id: daily, kind: max_daily_hours, params: { hours: 8 }, severity: warn, owner: responsible_attorney }
  - { id: copies, kind: expense_cap, params: { expense_code: E101, max_unit_cost: 0.15 }, severity: block, owner: billing_coordinator }
`;

/** A client under RULES with two matters and a timekeeper. */
async function firm(code: string) {
  const client = await buildClient(t.db, { client_code: code });
  await buildActiveGuideline(t.db, RULES(code), client.id);
  const m1 = await buildMatter(t.db, { client_id: client.id, matter_code: `${code}-1` });
  const m2 = await buildMatter(t.db, { client_id: client.id, matter_code: `${code}-2` });
  const keeper = await buildTimekeeper(t.db, { timekeeper_code: `${code}-TK` });
  return { client, m1, m2, keeper };
}

function entry(matter: string, keeper: string, hours: string, extra: object = {}) {
  return call('POST', '/time-entries', {
    matter_code: matter,
    timekeeper_code: keeper,
    work_date: '2026-10-05',
    hours,
    narrative: 'Draft motion to compel production of claim files',
    task_code: 'L250',
    activity_code: 'A103',
    ...extra,
  });
}

const exceptionsOf = (timeEntryId: number) =>
  t.db
    .selectFrom('guideline_exception')
    .select(['rule_id', 'state', 'resolved_by', 'resolved_at', 'guideline_version_id'])
    .where('time_entry_id', '=', timeEntryId)
    .orderBy('id')
    .execute();

const messageOf = (timeEntryId: number) =>
  t.db
    .selectFrom('guideline_exception')
    .select(['message', 'version'])
    .where('time_entry_id', '=', timeEntryId)
    .where('state', '=', 'open')
    .executeTakeFirstOrThrow();

describe('checks at save time', () => {
  it('returns the findings of a new entry and stores them as open exceptions', async () => {
    await firm('RT1');
    const created = await entry('RT1-1', 'RT1-TK', '5.0');
    expect(created.statusCode).toBe(201);
    expect(created.json().findings).toEqual([
      {
        rule_id: 'entry-cap',
        kind: 'max_entry_hours',
        severity: 'block',
        owner: 'timekeeper',
        owner_user_id: null,
        message: expect.stringContaining('OCG 5.2'),
        guideline_id: 'rt1-ocg',
        guideline_version: 1,
        correction: null,
        exception_id: expect.any(Number),
        state: 'open',
      },
    ]);
    expect(await exceptionsOf(created.json().id)).toMatchObject([
      { rule_id: 'entry-cap', state: 'open', guideline_version_id: expect.any(Number) },
    ]);
  });

  it("judges a new entry at its rate card's rate and against the matter's approvals", async () => {
    const client = await buildClient(t.db, { client_code: 'RTR' });
    await buildActiveGuideline(
      t.db,
      `
id: rtr-ocg
client: RTR
name: RTR rates
effective_from: 2026-01-01
rules:
  - { id: cap, kind: rate_cap, params: { max_rate: 500.00 }, severity: adjust, owner: billing_coordinator }
  - { id: approved, kind: approved_rate, severity: adjust, owner: billing_coordinator }
  - { id: team, kind: approved_timekeeper, severity: block, owner: responsible_attorney }
`,
      client.id,
    );
    const matter = await buildMatter(t.db, { client_id: client.id, matter_code: 'RTR-1' });
    const [onTeam, offTeam] = [
      await buildTimekeeper(t.db, { timekeeper_code: 'RTR-IN' }),
      await buildTimekeeper(t.db, { timekeeper_code: 'RTR-OUT' }),
    ];
    await buildRate(t.db, { timekeeper_id: onTeam.id, client_id: client.id, rate_cents: 65000 });
    await buildRate(t.db, { timekeeper_id: offTeam.id, rate_cents: 45000 });
    await t.db
      .insertInto('matter_timekeeper')
      .values({ matter_id: matter.id, timekeeper_id: onTeam.id, approved_rate_cents: 60000 })
      .execute();

    const rules = async (keeper: string) =>
      ((await entry('RTR-1', keeper, '1.0')).json().findings as { rule_id: string }[])
        .map((f) => f.rule_id)
        .sort();
    expect(await rules('RTR-IN')).toEqual(['approved', 'cap']);
    expect(await rules('RTR-OUT')).toEqual(['team']);
  });

  it('refuses to release an entry with an open block finding, then releases it once fixed', async () => {
    await firm('RT2');
    const created = (await entry('RT2-1', 'RT2-TK', '5.0')).json();
    const refused = await call('POST', `/time-entries/${created.id}/release`, { version: 1 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'RELEASE_BLOCKED',
      message: expect.stringContaining('entry-cap'),
      details: { findings: [{ rule_id: 'entry-cap', severity: 'block', state: 'open' }] },
    });

    const fixed = await call('PATCH', `/time-entries/${created.id}`, { version: 1, hours: '3.5' });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json().findings).toEqual([]);
    expect(await exceptionsOf(created.id)).toMatchObject([
      {
        rule_id: 'entry-cap',
        state: 'resolved',
        resolved_by: coordinator.id,
        resolved_at: t.clock.now(),
      },
    ]);

    const released = await call('POST', `/time-entries/${created.id}/release`, { version: 2 });
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({ status: 'released', findings: [] });
  });

  it("flags every entry of a timekeeper's day over the daily limit, across matters, and clears them together", async () => {
    await firm('RT3');
    const a = (await entry('RT3-1', 'RT3-TK', '3.0')).json();
    const b = (await entry('RT3-2', 'RT3-TK', '3.0')).json();
    expect(b.findings).toEqual([]);
    const c = (
      await entry('RT3-1', 'RT3-TK', '3.0', {
        narrative: 'Prepare deposition outline for the adjuster',
      })
    ).json();
    expect(c.findings.map((x: { rule_id: string }) => x.rule_id)).toEqual(['daily']);
    for (const e of [a, b, c])
      expect(await exceptionsOf(e.id)).toMatchObject([{ rule_id: 'daily', state: 'open' }]);

    // A fourth entry grows the day: every earlier exception is rewritten with the new total.
    const before = await messageOf(a.id);
    const d = (
      await entry('RT3-1', 'RT3-TK', '1.0', {
        narrative: 'Review adjuster notes on the claim file',
      })
    ).json();
    expect(d.findings.map((x: { rule_id: string }) => x.rule_id)).toEqual(['daily']);
    const after = await messageOf(a.id);
    expect(after.message).not.toBe(before.message);
    expect(after.message).toContain('10');
    expect(after.version).toBe(before.version + 1);
    const withdrawn = await call('POST', `/time-entries/${d.id}/deactivate`, { version: 1 });
    expect(withdrawn.statusCode).toBe(200);

    const reduced = await call('PATCH', `/time-entries/${b.id}`, { version: 1, hours: '1.5' });
    expect(reduced.json().findings).toEqual([]);
    for (const e of [a, b, c])
      expect(await exceptionsOf(e.id)).toMatchObject([{ rule_id: 'daily', state: 'resolved' }]);
  });

  it('re-judges the day an entry moved away from', async () => {
    await firm('RT4');
    const a = (await entry('RT4-1', 'RT4-TK', '4.0')).json();
    const b = (await entry('RT4-2', 'RT4-TK', '4.5')).json();
    expect(b.findings.map((x: { rule_id: string }) => x.rule_id)).toEqual(['entry-cap', 'daily']);
    const moved = await call('PATCH', `/time-entries/${b.id}`, {
      version: 1,
      work_date: '2026-10-06',
    });
    expect(moved.json().findings.map((x: { rule_id: string }) => x.rule_id)).toEqual(['entry-cap']);
    expect(await exceptionsOf(a.id)).toMatchObject([{ rule_id: 'daily', state: 'resolved' }]);
  });

  it('checks expenses and blocks their release the same way', async () => {
    await firm('RT5');
    const created = await call('POST', '/expenses', {
      matter_code: 'RT5-1',
      expense_date: '2026-10-05',
      expense_code: 'E101',
      description: 'Copies of exhibits',
      quantity: '100',
      unit_cost: '0.25',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().findings).toMatchObject([
      { rule_id: 'copies', severity: 'block', owner: 'billing_coordinator', state: 'open' },
    ]);
    const id = created.json().id as number;
    const refused = await call('POST', `/expenses/${id}/release`, { version: 1 });
    expect(refused.json()).toMatchObject({ code: 'RELEASE_BLOCKED' });
    await call('PATCH', `/expenses/${id}`, { version: 1, unit_cost: '0.10' });
    const released = await call('POST', `/expenses/${id}/release`, { version: 2 });
    expect(released.json()).toMatchObject({ status: 'released', findings: [] });
  });

  it('answers as before for clients without a guideline', async () => {
    await buildMatter(t.db, { matter_code: 'RT-FREE' });
    await buildTimekeeper(t.db, { timekeeper_code: 'RT-FREE-TK' });
    const created = await entry('RT-FREE', 'RT-FREE-TK', '9.0');
    expect(created.json().findings).toEqual([]);
    const released = await call('POST', `/time-entries/${created.json().id}/release`, {
      version: 1,
    });
    expect(released.statusCode).toBe(200);
  });
});
