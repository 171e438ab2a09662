import { sql } from 'kysely';
import { formatMoney } from '../../../domain/money.js';
import type { BulkColumn } from '../bulk.js';
import { insertRows, updateRows } from '../bulk.js';
import type { Changed } from '../kind.js';
import { defineKind } from '../kind.js';

interface MatterTimekeeperRow {
  matterCode: string;
  timekeeperCode: string;
  approvedRate: number | null;
  matterId: number;
  timekeeperId: number;
}

interface StoredMatterTimekeeper {
  matter_id: number;
  timekeeper_id: number;
  approved_rate_cents: number | null;
}

type Cursor = [matterId: number, timekeeperId: number];

const storedKey = (matterId: number, timekeeperId: number) => `${matterId}:${timekeeperId}`;

type Change = Changed<MatterTimekeeperRow, StoredMatterTimekeeper>;
const KEYS: BulkColumn<Change>[] = [
  { name: 'matter_id', type: 'bigint', value: (c) => c.existing.matter_id },
  { name: 'timekeeper_id', type: 'bigint', value: (c) => c.existing.timekeeper_id },
];

/** The timekeepers approved to work on a matter, optionally at an approved rate. */
export const matterTimekeepers = defineKind<
  MatterTimekeeperRow,
  MatterTimekeeperRow,
  StoredMatterTimekeeper,
  Cursor
>({
  kind: 'matter-timekeepers',
  resource: 'matter_timekeeper',
  columns: ['matter_code', 'timekeeper_code', 'approved_rate'],
  keyColumns: ['matter_code', 'timekeeper_code'],
  parse: (cells) => ({
    matterCode: cells.code('matter_code'),
    timekeeperCode: cells.code('timekeeper_code'),
    approvedRate: cells.optionalHundredths('approved_rate', { min: 0 }),
    matterId: 0,
    timekeeperId: 0,
  }),
  key: (r) => `${r.matterCode}\u0000${r.timekeeperCode}`,
  async prepare(_db, rows, refs, report) {
    await refs.load({
      matters: rows.map((r) => r.value.matterCode),
      timekeepers: rows.map((r) => r.value.timekeeperCode),
    });
    return rows.map(({ row, value }) => {
      const matter = refs.matter(value.matterCode);
      const timekeeper = refs.timekeeper(value.timekeeperCode);
      if (!matter) report(row, 'matter_code', `unknown matter "${value.matterCode}"`);
      if (!timekeeper)
        report(row, 'timekeeper_code', `unknown timekeeper "${value.timekeeperCode}"`);
      if (!matter || !timekeeper) return undefined;
      value.matterId = matter.id;
      value.timekeeperId = timekeeper.id;
      return value;
    });
  },
  async loadExisting(db, values) {
    // Matching on both id lists returns a superset of the pairs; the map picks the exact ones.
    const rows = await db
      .selectFrom('matter_timekeeper')
      .select(['matter_id', 'timekeeper_id', 'approved_rate_cents'])
      .where(sql<boolean>`matter_id = any(${[...new Set(values.map((v) => v.matterId))]})`)
      .where(sql<boolean>`timekeeper_id = any(${[...new Set(values.map((v) => v.timekeeperId))]})`)
      .execute();
    return new Map(rows.map((r) => [storedKey(r.matter_id, r.timekeeper_id), r]));
  },
  storedKey: (r) => storedKey(r.matterId, r.timekeeperId),
  compare: (e, r) => (e.approved_rate_cents === r.approvedRate ? 'unchanged' : 'changed'),
  async insert(db, values) {
    await insertRows(
      db,
      'matter_timekeeper',
      [
        { name: 'matter_id', type: 'bigint', value: (r) => r.matterId },
        { name: 'timekeeper_id', type: 'bigint', value: (r) => r.timekeeperId },
        { name: 'approved_rate_cents', type: 'bigint', value: (r) => r.approvedRate },
      ],
      values,
    );
  },
  async update(db, changes, now) {
    await updateRows(
      db,
      'matter_timekeeper',
      KEYS,
      [{ name: 'approved_rate_cents', type: 'bigint', value: (c) => c.value.approvedRate }],
      changes,
      now,
    );
  },
  async exportPage(db, after, limit) {
    const [afterMatter, afterTimekeeper] = after ?? [0, 0];
    const rows = await db
      .selectFrom('matter_timekeeper as mt')
      .innerJoin('matter as m', 'm.id', 'mt.matter_id')
      .innerJoin('timekeeper as tk', 'tk.id', 'mt.timekeeper_id')
      .select([
        'mt.matter_id',
        'mt.timekeeper_id',
        'm.matter_code',
        'tk.timekeeper_code',
        'mt.approved_rate_cents',
      ])
      .where(sql<boolean>`(mt.matter_id, mt.timekeeper_id) > (${afterMatter}, ${afterTimekeeper})`)
      .orderBy('mt.matter_id')
      .orderBy('mt.timekeeper_id')
      .limit(limit)
      .execute();
    const last = rows[rows.length - 1];
    return {
      rows: rows.map((r) => [
        r.matter_code,
        r.timekeeper_code,
        r.approved_rate_cents === null ? '' : formatMoney(r.approved_rate_cents),
      ]),
      next: rows.length === limit && last ? [last.matter_id, last.timekeeper_id] : null,
    };
  },
});
