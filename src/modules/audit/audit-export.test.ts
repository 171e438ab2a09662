import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { exportAuditEvents } from './audit-export.js';
import type { AuditRecord } from './audit.repository.js';
import { appendAuditEvent, hashAuditRecord } from './audit.repository.js';

let t: TestDatabase;

/** One event at each instant, so the day boundaries are visible in the export. */
const INSTANTS = [
  '2026-10-31T23:59:59.999Z',
  '2026-11-01T00:00:00.000Z',
  '2026-11-01T12:00:00.000Z',
  '2026-11-02T23:59:59.999Z',
  '2026-11-03T00:00:00.000Z',
];

beforeAll(async () => {
  t = await openTestDatabase();
  for (const [i, at] of INSTANTS.entries()) {
    await t.db.transaction().execute((trx) =>
      appendAuditEvent(
        trx,
        SYSTEM_ACTOR,
        {
          action: 'test.export',
          entityType: 'client',
          entityId: i,
          after: { n: i, at: new Date(at) },
        },
        new Date(at),
      ),
    );
  }
});
afterAll(() => t.close());

async function exportLines(from: string, to: string, batchSize?: number) {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const count = await exportAuditEvents(t.db, { from, to }, output, { batchSize });
  output.end();
  const lines = chunks.join('').split('\n').filter(Boolean);
  expect(lines).toHaveLength(count);
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('exportAuditEvents', () => {
  it('writes the events of the inclusive UTC days as JSON lines in chain order', async () => {
    const events = await exportLines('2026-11-01', '2026-11-02', 2);
    expect(events.map((e) => e.occurred_at)).toEqual(INSTANTS.slice(1, 4));
    expect(Object.keys(events[0]!)).toEqual([
      'id',
      'occurred_at',
      'actor',
      'actor_user_id',
      'action',
      'entity_type',
      'entity_id',
      'before',
      'after',
      'reason',
      'prev_hash',
      'hash',
    ]);
  });

  it('exports lines a SIEM can re-hash and link without the database', async () => {
    const events = await exportLines('2026-10-01', '2026-11-30');
    expect(events).toHaveLength(INSTANTS.length);
    let previous: unknown = null;
    for (const { id: _id, hash, ...record } of events) {
      expect(record.prev_hash).toBe(previous);
      expect(hashAuditRecord(record as unknown as AuditRecord)).toBe(hash);
      previous = hash;
    }
  });

  it('writes nothing for days without events', async () => {
    expect(await exportLines('2026-12-01', '2026-12-31')).toEqual([]);
  });
});
