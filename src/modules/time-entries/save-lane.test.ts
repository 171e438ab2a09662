import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import type { TestDatabase } from '../../test/database.js';
import { onPostgresServer, openTestDatabase } from '../../test/database.js';
import {
  buildActiveGuideline,
  buildClient,
  buildMatter,
  buildTimekeeper,
  buildUser,
} from '../../test/factories.js';
import { verifyAuditChain } from '../audit/audit-verify.js';
import { lockClientDayPairs } from '../compliance/work-days.repository.js';
import { laneOf, SaveLane } from './save-lane.js';
import { createTimeEntry } from './time-entries.service.js';

let t: TestDatabase;
let actor: Actor;
let clientId: number;

// Saves are called side by side, as a server calls them for requests arriving together (the
// HTTP path to the service is covered by the time-entry API tests).
beforeAll(async () => {
  t = await openTestDatabase();
  const user = await buildUser(t.db, { roles: ['billing_coordinator'] });
  actor = {
    userId: String(user.id),
    email: user.email,
    roles: ['billing_coordinator'],
    timekeeperId: null,
    via: 'session',
  };
  const client = await buildClient(t.db, { client_code: 'LANE' });
  clientId = client.id;
  await buildActiveGuideline(
    t.db,
    `
id: lane-ocg
client: LANE
name: Lane guidelines
effective_from: 2026-01-01
rules:
  - { id: daily, kind: max_daily_hours, params: { hours: 8 }, severity: warn, owner: responsible_attorney }
  - { id: dupes, kind: duplicate_entry, params: {}, severity: block, owner: timekeeper }
`,
    client.id,
  );
  await buildMatter(t.db, { client_id: client.id, matter_code: 'LANE-1' });
  await buildTimekeeper(t.db, { timekeeper_code: 'LANE-TK' });
});
afterAll(async () => {
  await t.close();
});

/** Saves one entry; answers the HTTP status the API would give, and the findings' rule ids. */
const create = async (entryId: string, narrative: string, workDate = '2026-10-05') => {
  try {
    const saved = await createTimeEntry(t.ctx, actor, {
      entry_id: entryId,
      matter_code: 'LANE-1',
      timekeeper_code: 'LANE-TK',
      work_date: workDate,
      hours: '1.0',
      narrative,
      task_code: 'L120',
      activity_code: 'A104',
      billable: true,
    });
    return { status: 201, rules: saved.findings.map((f) => f.rule_id) };
  } catch (error) {
    if (error instanceof AppError && error.kind === 'conflict') return { status: 409, rules: [] };
    // The database's unique-key error, which the API answers with 409 DUPLICATE.
    if ((error as { code?: string }).code === '23505') return { status: 409, rules: [] };
    throw error;
  }
};

const openRules = async (entryId: string) =>
  (
    await t.db
      .selectFrom('guideline_exception as ge')
      .innerJoin('time_entry as te', 'te.id', 'ge.time_entry_id')
      .select('ge.rule_id')
      .where('te.entry_id', '=', entryId)
      .where('ge.state', '=', 'open')
      .orderBy('ge.rule_id')
      .execute()
  ).map((row) => row.rule_id);

describe('saving entries that arrive together', () => {
  it('writes a burst together and judges the day as if saved one by one', async () => {
    const before = laneOf(t.db).stats.largest;
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        create(`BURST-${i}`, `Analyze deposition exhibit set ${i} for damages theory`),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(201));
    // More than one save went into one transaction.
    expect(laneOf(t.db).stats.largest).toBeGreaterThan(Math.max(before, 1));
    // 12 hours on one timekeeper-day: every entry of the day carries the daily finding.
    for (let i = 0; i < 12; i++) expect(await openRules(`BURST-${i}`)).toEqual(['daily']);
    expect(responses.at(-1)!.rules).toEqual(['daily']);
    const events = await t.db
      .selectFrom('audit_event')
      .select(['entity_id'])
      .where('action', '=', 'time_entry.create')
      .execute();
    expect(events).toHaveLength(12);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('answers each save alone when one of a batch fails, writing the others', async () => {
    const first = await create(
      'SOLO-1',
      'Prepare witness outline for corporate representative',
      '2026-10-06',
    );
    expect(first.status).toBe(201);
    const responses = await Promise.all([
      create('SOLO-2', 'Research spoliation sanctions standard', '2026-10-06'),
      create('SOLO-1', 'An entry id already taken', '2026-10-06'),
      create('SOLO-3', 'Same narrative twice', '2026-10-06'),
      create('SOLO-4', 'Same narrative twice', '2026-10-06'),
    ]);
    expect(responses.map((r) => r.status)).toEqual([201, 409, 201, 201]);
    expect(laneOf(t.db).stats.largest).toBeGreaterThan(1);
    const written = await t.db
      .selectFrom('time_entry')
      .select('entry_id')
      .where('work_date', '=', '2026-10-06')
      .orderBy('entry_id')
      .execute();
    expect(written.map((r) => r.entry_id)).toEqual(['SOLO-1', 'SOLO-2', 'SOLO-3', 'SOLO-4']);
    // The two identical entries find each other, whichever batch wrote them.
    expect(await openRules('SOLO-3')).toEqual(['dupes']);
    expect(await openRules('SOLO-4')).toEqual(['dupes']);
    const creates = await t.db
      .selectFrom('audit_event')
      .select('entity_id')
      .where('action', '=', 'time_entry.create')
      .execute();
    expect(creates).toHaveLength(12 + 4);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('fails the waiting saves when no transaction can begin, instead of retrying forever', async () => {
    const closed = await openTestDatabase();
    await closed.close();
    const lane = new SaveLane<number>(closed.db);
    const job = {
      clientId: 1,
      date: '2026-10-05',
      write: () => Promise.reject(new Error('never reached')),
    };
    const outcomes = await Promise.allSettled([lane.submit(job), lane.submit(job)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });
});

/** Whether some transaction is waiting for an advisory lock (a client-day held elsewhere). */
const waitingForLock = async () =>
  (
    await sql<{ n: number }>`
      select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`.execute(
      t.db,
    )
  ).rows[0]!.n > 0;

describe.skipIf(!onPostgresServer)('saves on a server database', () => {
  it('writes a save on another day while a save waits on a day someone else holds', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    // Another transaction (a long recheck, say) holds 7 October of the lane's client.
    const holder = t.db.transaction().execute(async (trx) => {
      await lockClientDayPairs(trx, [{ clientId, date: '2026-10-07' }]);
      holding();
      await released;
    });
    await held;
    let waitingDone = false;
    const waiting = create('CONC-7', 'Review production set for privilege', '2026-10-07').then(
      (outcome) => ((waitingDone = true), outcome),
    );
    // Once that save is waiting for the day's lock, its batch is written and closed.
    while (!(await waitingForLock())) await new Promise((resolve) => setTimeout(resolve, 10));
    // The save on 8 October does not queue behind the one stuck on 7 October.
    const other = await create('CONC-8', 'Prepare deposition outline for the CFO', '2026-10-08');
    expect(other.status).toBe(201);
    expect(waitingDone).toBe(false);
    release();
    await holder;
    expect((await waiting).status).toBe(201);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});
