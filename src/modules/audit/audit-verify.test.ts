import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/policy.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { createClient, updateClient } from '../clients/clients.service.js';
import { recomputeHash, verifyAuditChain } from './audit-verify.js';
import { AUDIT_EVENT_COLUMNS, appendAuditEvent, canonicalJson } from './audit.repository.js';

const PARTNER: Actor = {
  userId: '42',
  email: 'partner@firm.test',
  roles: ['legal_ops'],
  timekeeperId: null,
  via: 'session',
};

/** Values whose JSON form jsonb rewrites: number spelling, key order, Dates, dropped undefineds. */
const TRICKY = {
  zeta: 1,
  alpha: { z: [3, { d: null, c: 'x' }], a: true },
  price: 1.5,
  rate: 0.1 + 0.2,
  tiny: 1e-7,
  huge: 1e21,
  largest: Number.MAX_SAFE_INTEGER,
  // Past 2^53: JSON spells it 12345678901234567000, jsonb keeps those digits, parsing them restores it.
  beyondSafe: Number('12345678901234567890'),
  negativeZero: -0,
  notANumber: Number.NaN,
  at: new Date('2026-03-04T05:06:07.089Z'),
  dropped: undefined,
  holes: [undefined, 2],
  decimalText: '1.50',
  text: 'Zoë — 東京 😀 "quoted" \\ back\nline',
  é: 1,
  Z: 2,
  '': 'empty key',
  empty: {},
  // A value class serialized by its own toJSON, as a money or decimal type would be.
  money: { cents: 150, toJSON: () => '1.50 USD' },
};

async function appendDirect(t: TestDatabase, event: Parameters<typeof appendAuditEvent>[2]) {
  await t.db
    .transaction()
    .execute((trx) => appendAuditEvent(trx, SYSTEM_ACTOR, event, t.clock.now()));
}

const auditIds = async (t: TestDatabase) =>
  (await t.db.selectFrom('audit_event').select('id').orderBy('id').execute()).map((r) => r.id);

/** Acts as someone with the table owner's rights, who can switch the append-only guard off. */
async function withGuardDisabled(t: TestDatabase, work: () => Promise<unknown>) {
  await sql`alter table audit_event disable trigger audit_event_append_only`.execute(t.db);
  try {
    await work();
  } finally {
    await sql`alter table audit_event enable trigger audit_event_append_only`.execute(t.db);
  }
}

/** A chain of real events: client changes by the system and by a user, plus tricky values. */
async function buildChain(t: TestDatabase) {
  t.clock.set('2026-11-02T09:00:00.123Z');
  const acme = await createClient(t.ctx, SYSTEM_ACTOR, {
    client_code: 'ACME',
    name: 'Acme Holdings',
    currency: 'USD',
    ebilling_format: 'none',
  });
  t.clock.advance(1);
  await updateClient(t.ctx, PARTNER, acme.id, { version: acme.version, name: 'Acme Holdings plc' });
  t.clock.advance(61_000);
  await appendDirect(t, {
    action: 'test.tricky',
    entityType: 'client',
    entityId: acme.id,
    before: TRICKY,
    after: [TRICKY, 'x'],
    reason: 'values jsonb rewrites',
  });
  await appendDirect(t, {
    action: 'test.scalars',
    entityType: 'x',
    entityId: null,
    before: false,
    after: 0,
  });
}

describe('verifyAuditChain on an untouched trail', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
    await buildChain(t);
  });
  afterAll(() => t.close());

  it('recomputes every stored hash, tricky jsonb values and millisecond timestamps included', async () => {
    const rows = await t.db
      .selectFrom('audit_event')
      .select(AUDIT_EVENT_COLUMNS)
      .orderBy('id')
      .execute();
    const tricky = rows.find((r) => r.action === 'test.tricky')!;
    expect(tricky.occurred_at.toISOString()).toBe('2026-11-02T09:01:01.124Z');
    // What jsonb hands back canonicalizes exactly like the JSON form hashed at insert time.
    expect(canonicalJson(tricky.before)).toBe(canonicalJson(JSON.parse(JSON.stringify(TRICKY))));
    expect((tricky.before as typeof TRICKY).beyondSafe).toBe(Number('12345678901234567890'));
    expect((tricky.before as Record<string, unknown>).at).toBe('2026-03-04T05:06:07.089Z');
    expect((tricky.before as Record<string, unknown>).money).toBe('1.50 USD');
    const scalars = rows.find((r) => r.action === 'test.scalars')!;
    expect([scalars.before, scalars.after]).toEqual([false, 0]);
    for (const row of rows) expect(recomputeHash(row)).toBe(row.hash);
  });

  it('reports the trail intact with the event count and the last hash', async () => {
    const last = await t.db
      .selectFrom('audit_event')
      .select('hash')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const result = await verifyAuditChain(t.db);
    expect(result).toEqual({ ok: true, events: (await auditIds(t)).length, lastHash: last.hash });
    expect(await verifyAuditChain(t.db, { batchSize: 1 })).toEqual(result);
  });

  it('accepts the gap a rolled-back append leaves in the ids', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await appendAuditEvent(
          trx,
          SYSTEM_ACTOR,
          { action: 'test.rolled_back', entityType: 'x', entityId: 1 },
          t.clock.now(),
        );
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await appendDirect(t, { action: 'test.after_gap', entityType: 'x', entityId: 2 });
    const ids = await auditIds(t);
    expect(ids.at(-1)! - ids.at(-2)!).toBe(2);
    expect(await verifyAuditChain(t.db, { batchSize: 2 })).toMatchObject({
      ok: true,
      events: ids.length,
    });
  });

  it('keeps one chain when appends race, whether or not the remembered head is current', async () => {
    const append = (n: number) =>
      t.db.transaction().execute(async (trx) => {
        await appendAuditEvent(
          trx,
          SYSTEM_ACTOR,
          { action: 'test.race', entityType: 'x', entityId: n },
          t.clock.now(),
        );
        // A rolled-back append leaves the remembered head stale for the next one.
        if (n % 5 === 0) throw new Error('roll back');
      });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, n) => append(n)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(16);
    const links = await t.db.selectFrom('audit_event').select('prev_hash').execute();
    expect(new Set(links.map((l) => l.prev_hash)).size).toBe(links.length);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, events: links.length });
  });

  it('is refused UPDATE, DELETE and TRUNCATE by the database', async () => {
    await expect(sql`update audit_event set reason = 'edited'`.execute(t.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_event`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_event`.execute(t.db)).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

describe('verifyAuditChain after tampering', () => {
  it('fails at exactly the row whose after value was edited', async () => {
    const t = await openTestDatabase();
    try {
      await buildChain(t);
      const ids = await auditIds(t);
      const target = ids[1]!;
      await withGuardDisabled(t, () =>
        sql`update audit_event set after = jsonb_set(after, '{name}', '"Someone Else"') where id = ${target}`.execute(
          t.db,
        ),
      );
      const result = await verifyAuditChain(t.db, { batchSize: 1 });
      expect(result).toMatchObject({
        ok: false,
        events: 2,
        brokenAt: { id: target, reason: 'hash_mismatch' },
      });
    } finally {
      await t.close();
    }
  });

  it('fails at the row after a deleted one, whose prev_hash no longer links', async () => {
    const t = await openTestDatabase();
    try {
      await buildChain(t);
      const rows = await t.db
        .selectFrom('audit_event')
        .select(['id', 'hash'])
        .orderBy('id')
        .execute();
      const [first, deleted, following] = rows as [
        (typeof rows)[0],
        (typeof rows)[0],
        (typeof rows)[0],
      ];
      await withGuardDisabled(t, () =>
        sql`delete from audit_event where id = ${deleted.id}`.execute(t.db),
      );
      expect(await verifyAuditChain(t.db)).toEqual({
        ok: false,
        events: 2,
        brokenAt: {
          id: following.id,
          reason: 'prev_hash_mismatch',
          expected: first.hash,
          actual: deleted.hash,
        },
      });
    } finally {
      await t.close();
    }
  });
});
