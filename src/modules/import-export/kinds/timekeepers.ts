import { sql } from 'kysely';
import { formatMoney } from '../../../domain/money.js';
import { CLASSIFICATIONS } from '../../../domain/roles.js';
import type { BulkColumn } from '../bulk.js';
import { insertRows, updateById } from '../bulk.js';
import { cell } from '../cells.js';
import { defineKind, sameValues } from '../kind.js';

interface TimekeeperRow {
  timekeeperCode: string;
  firstName: string;
  lastName: string;
  classification: string;
  email: string | null;
  standardRate: number | null;
  currency: string;
  practiceGroup: string | null;
}

interface StoredTimekeeper {
  id: number;
  timekeeper_code: string;
  first_name: string;
  last_name: string;
  classification: string;
  email: string | null;
  standard_rate_cents: number | null;
  currency: string;
  practice_group: string | null;
}

const VALUES: BulkColumn<TimekeeperRow>[] = [
  { name: 'first_name', type: 'text', value: (r) => r.firstName },
  { name: 'last_name', type: 'text', value: (r) => r.lastName },
  { name: 'classification', type: 'text', value: (r) => r.classification },
  { name: 'email', type: 'text', value: (r) => r.email },
  { name: 'standard_rate_cents', type: 'bigint', value: (r) => r.standardRate },
  { name: 'currency', type: 'text', value: (r) => r.currency },
  { name: 'practice_group', type: 'text', value: (r) => r.practiceGroup },
];

const SELECTED = [
  'id',
  'timekeeper_code',
  'first_name',
  'last_name',
  'classification',
  'email',
  'standard_rate_cents',
  'currency',
  'practice_group',
] as const;

/** Timekeepers (partners, associates, paralegals, …), keyed by timekeeper code. */
export const timekeepers = defineKind<TimekeeperRow, TimekeeperRow, StoredTimekeeper>({
  kind: 'timekeepers',
  resource: 'timekeeper',
  columns: [
    'timekeeper_code',
    'first_name',
    'last_name',
    'classification',
    'email',
    'standard_rate',
    'currency',
    'practice_group',
  ],
  keyColumns: ['timekeeper_code'],
  parse: (cells) => ({
    timekeeperCode: cells.code('timekeeper_code'),
    firstName: cells.requiredText('first_name'),
    lastName: cells.requiredText('last_name'),
    classification: cells.choice('classification', CLASSIFICATIONS),
    email: cells.optionalEmail('email'),
    standardRate: cells.optionalHundredths('standard_rate', { min: 0 }),
    currency: cells.currency('currency'),
    practiceGroup: cells.optionalText('practice_group'),
  }),
  key: (r) => r.timekeeperCode,
  prepare: async (_db, rows) => rows.map((r) => r.value),
  async loadExisting(db, values) {
    const rows = await db
      .selectFrom('timekeeper')
      .select(SELECTED)
      .where(sql<boolean>`timekeeper_code = any(${values.map((v) => v.timekeeperCode)})`)
      .execute();
    return new Map(rows.map((r) => [r.timekeeper_code, r]));
  },
  storedKey: (r) => r.timekeeperCode,
  compare: (e, r) =>
    sameValues([
      [e.first_name, r.firstName],
      [e.last_name, r.lastName],
      [e.classification, r.classification],
      [e.email, r.email],
      [e.standard_rate_cents, r.standardRate],
      [e.currency, r.currency],
      [e.practice_group, r.practiceGroup],
    ])
      ? 'unchanged'
      : 'changed',
  async insert(db, values) {
    await insertRows(
      db,
      'timekeeper',
      [{ name: 'timekeeper_code', type: 'text', value: (r) => r.timekeeperCode }, ...VALUES],
      values,
    );
  },
  async update(db, changes, now) {
    await updateById(db, 'timekeeper', VALUES, changes, now);
  },
  async exportPage(db, after, limit) {
    const rows = await db
      .selectFrom('timekeeper')
      .select(SELECTED)
      .where('active', '=', true)
      .where('id', '>', after ?? 0)
      .orderBy('id')
      .limit(limit)
      .execute();
    return {
      rows: rows.map((r) => [
        r.timekeeper_code,
        r.first_name,
        r.last_name,
        r.classification,
        cell(r.email),
        r.standard_rate_cents === null ? '' : formatMoney(r.standard_rate_cents),
        r.currency,
        cell(r.practice_group),
      ]),
      next: rows.length === limit ? rows[rows.length - 1]!.id : null,
    };
  },
});
