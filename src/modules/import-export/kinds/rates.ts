import { sql } from 'kysely';
import { formatMoney } from '../../../domain/money.js';
import type { BulkColumn } from '../bulk.js';
import { insertRows, updateById } from '../bulk.js';
import { cell } from '../cells.js';
import { defineKind } from '../kind.js';
import { findOverlaps } from './rate-overlaps.js';

interface RateRow {
  timekeeperCode: string;
  clientCode: string | null;
  matterCode: string | null;
  rate: number;
  currency: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  timekeeperId: number;
  clientId: number | null;
  matterId: number | null;
}

interface StoredRate {
  id: number;
  timekeeper_id: number;
  client_id: number | null;
  matter_id: number | null;
  rate_cents: number;
  currency: string;
  effective_from: string;
  effective_to: string | null;
}

const VALUES: BulkColumn<RateRow>[] = [
  { name: 'rate_cents', type: 'bigint', value: (r) => r.rate },
  { name: 'currency', type: 'text', value: (r) => r.currency },
  { name: 'effective_to', type: 'date', value: (r) => r.effectiveTo },
];

/** The natural key of the unique index rate_scope_start_key. */
const naturalKey = (
  timekeeperId: number,
  clientId: number | null,
  matterId: number | null,
  from: string,
) => `${timekeeperId}:${clientId ?? 0}:${matterId ?? 0}:${from}`;

/** Rate cards: a timekeeper's rate by default, for a client, or for one matter, over dates. */
export const rates = defineKind<RateRow, RateRow, StoredRate>({
  kind: 'rates',
  resource: 'rate',
  columns: [
    'timekeeper_code',
    'client_code',
    'matter_code',
    'rate',
    'currency',
    'effective_from',
    'effective_to',
  ],
  keyColumns: ['timekeeper_code', 'client_code', 'matter_code', 'effective_from'],
  // Whether a rate overlaps another depends on every row of the file, including later ones
  // that close an open-ended stored rate; rate cards are small enough to check in one piece.
  wholeFile: true,
  parse(cells) {
    const r: RateRow = {
      timekeeperCode: cells.code('timekeeper_code'),
      clientCode: cells.optionalCode('client_code'),
      matterCode: cells.optionalCode('matter_code'),
      rate: cells.hundredths('rate', { min: 0 }),
      currency: cells.currency('currency'),
      effectiveFrom: cells.date('effective_from'),
      effectiveTo: cells.optionalDate('effective_to'),
      timekeeperId: 0,
      clientId: null,
      matterId: null,
    };
    if (r.effectiveTo !== null && r.effectiveFrom !== '' && r.effectiveTo < r.effectiveFrom)
      cells.fail('effective_to', `must not be before effective_from (${r.effectiveFrom})`);
    return r;
  },
  key: (r) =>
    `${r.timekeeperCode}\u0000${r.clientCode}\u0000${r.matterCode}\u0000${r.effectiveFrom}`,
  async prepare(db, rows, refs, report) {
    await refs.load({
      timekeepers: rows.map((r) => r.value.timekeeperCode),
      clients: rows.map((r) => r.value.clientCode),
      matters: rows.map((r) => r.value.matterCode),
    });
    const resolved = rows.map(({ row, value }) => {
      const timekeeper = refs.timekeeper(value.timekeeperCode);
      const client = value.clientCode === null ? null : refs.client(value.clientCode);
      const matter = value.matterCode === null ? null : refs.matter(value.matterCode);
      if (!timekeeper)
        report(row, 'timekeeper_code', `unknown timekeeper "${value.timekeeperCode}"`);
      if (client === undefined) report(row, 'client_code', `unknown client "${value.clientCode}"`);
      if (matter === undefined) report(row, 'matter_code', `unknown matter "${value.matterCode}"`);
      if (!timekeeper || client === undefined || matter === undefined) return undefined;
      if (matter && client && matter.clientId !== client.id) {
        report(row, 'client_code', `matter ${value.matterCode} belongs to another client`);
        return undefined;
      }
      value.timekeeperId = timekeeper.id;
      value.clientId = client ? client.id : null;
      value.matterId = matter ? matter.id : null;
      return value;
    });
    const candidates = resolved.flatMap((value, i) =>
      value ? [{ row: rows[i]!.row, index: i, value }] : [],
    );
    if (!candidates.length) return resolved;
    const inFile = new Set(candidates.map((c) => rates.storedKey(c.value)));
    const stored = await db
      .selectFrom('rate')
      .select([
        'timekeeper_id',
        'client_id',
        'matter_id',
        'currency',
        'effective_from',
        'effective_to',
      ])
      .where('active', '=', true)
      .where(
        sql<boolean>`timekeeper_id = any(${[...new Set(candidates.map((c) => c.value.timekeeperId))]})`,
      )
      .execute();
    const kept = stored.filter(
      (s) => !inFile.has(naturalKey(s.timekeeper_id, s.client_id, s.matter_id, s.effective_from)),
    );
    for (const overlap of findOverlaps(candidates, kept)) {
      report(overlap.row, 'effective_from', overlap.message);
      resolved[overlap.index] = undefined;
    }
    return resolved;
  },
  async loadExisting(db, values) {
    const rows = await db
      .selectFrom('rate')
      .select([
        'id',
        'timekeeper_id',
        'client_id',
        'matter_id',
        'rate_cents',
        'currency',
        'effective_from',
        'effective_to',
      ])
      .where(sql<boolean>`timekeeper_id = any(${[...new Set(values.map((v) => v.timekeeperId))]})`)
      .execute();
    return new Map(
      rows.map((r) => [naturalKey(r.timekeeper_id, r.client_id, r.matter_id, r.effective_from), r]),
    );
  },
  storedKey: (r) => naturalKey(r.timekeeperId, r.clientId, r.matterId, r.effectiveFrom),
  compare: (e, r) =>
    e.rate_cents === r.rate && e.currency === r.currency && e.effective_to === r.effectiveTo
      ? 'unchanged'
      : 'changed',
  async insert(db, values) {
    await insertRows(
      db,
      'rate',
      [
        { name: 'timekeeper_id', type: 'bigint', value: (r) => r.timekeeperId },
        { name: 'client_id', type: 'bigint', value: (r) => r.clientId },
        { name: 'matter_id', type: 'bigint', value: (r) => r.matterId },
        { name: 'effective_from', type: 'date', value: (r) => r.effectiveFrom },
        ...VALUES,
      ],
      values,
    );
  },
  async update(db, changes, now) {
    await updateById(db, 'rate', VALUES, changes, now);
  },
  async exportPage(db, after, limit) {
    const rows = await db
      .selectFrom('rate as r')
      .innerJoin('timekeeper as tk', 'tk.id', 'r.timekeeper_id')
      .leftJoin('client as c', 'c.id', 'r.client_id')
      .leftJoin('matter as m', 'm.id', 'r.matter_id')
      .select([
        'r.id',
        'tk.timekeeper_code',
        'c.client_code',
        'm.matter_code',
        'r.rate_cents',
        'r.currency',
        'r.effective_from',
        'r.effective_to',
      ])
      .where('r.active', '=', true)
      .where('r.id', '>', after ?? 0)
      .orderBy('r.id')
      .limit(limit)
      .execute();
    return {
      rows: rows.map((r) => [
        r.timekeeper_code,
        cell(r.client_code),
        cell(r.matter_code),
        formatMoney(r.rate_cents),
        r.currency,
        r.effective_from,
        cell(r.effective_to),
      ]),
      next: rows.length === limit ? rows[rows.length - 1]!.id : null,
    };
  },
});
