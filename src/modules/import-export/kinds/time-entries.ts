import { sql } from 'kysely';
import { formatHours, parseHours } from '../../../domain/money.js';
import type { BulkColumn } from '../bulk.js';
import { insertRows, workStatusConstants, updateRows } from '../bulk.js';
import { cell, yesNo } from '../cells.js';
import { defineKind } from '../kind.js';

interface TimeEntryRow {
  entryId: string;
  matterCode: string;
  timekeeperCode: string;
  workDate: string;
  /** Hundredths of an hour. */
  hours: number;
  narrative: string;
  taskCode: string | null;
  activityCode: string | null;
  billable: boolean;
  // Filled in by prepare(); the parsed row is reused to avoid a second object per row.
  matterId: number;
  timekeeperId: number;
}

interface StoredTimeEntry {
  id: number;
  entry_id: string;
  matter_id: number;
  timekeeper_id: number;
  work_date: string;
  hours: string;
  narrative: string;
  task_code: string | null;
  activity_code: string | null;
  billable: boolean;
  status: string;
  rate_cents: number | null;
  amount_cents: number | null;
}

interface Update {
  id: number;
  row: TimeEntryRow;
  revalue: boolean;
  existing: StoredTimeEntry;
}

const RECORDED: BulkColumn<TimeEntryRow>[] = [
  { name: 'matter_id', type: 'bigint', value: (r) => r.matterId },
  { name: 'timekeeper_id', type: 'bigint', value: (r) => r.timekeeperId },
  { name: 'work_date', type: 'date', value: (r) => r.workDate },
  { name: 'hours', type: 'numeric', value: (r) => formatHours(r.hours) },
  { name: 'narrative', type: 'text', value: (r) => r.narrative },
  { name: 'task_code', type: 'text', value: (r) => r.taskCode },
  { name: 'activity_code', type: 'text', value: (r) => r.activityCode },
  { name: 'billable', type: 'boolean', value: (r) => r.billable },
];

const UPDATE_COLUMNS: BulkColumn<Update>[] = [
  ...RECORDED.map((c) => ({ ...c, value: (u: Update) => c.value(u.row) })),
  // A valuation made for other hours, matter or timekeeper no longer holds; revalue it later.
  {
    name: 'rate_cents',
    type: 'bigint',
    value: (u) => (u.revalue ? null : u.existing.rate_cents),
  },
  {
    name: 'amount_cents',
    type: 'bigint',
    value: (u) => (u.revalue ? null : u.existing.amount_cents),
  },
];

const HOURS = { above: 0, max: 2400 };

/** Time entries from the firm's time system, keyed by their external entry id. */
export const timeEntries = defineKind<TimeEntryRow, TimeEntryRow, StoredTimeEntry>({
  kind: 'time-entries',
  resource: 'time_entry',
  columns: [
    'entry_id',
    'matter_code',
    'timekeeper_code',
    'work_date',
    'hours',
    'narrative',
    'task_code',
    'activity_code',
    'billable',
  ],
  keyColumns: ['entry_id'],
  parse: (cells) => ({
    entryId: cells.externalId('entry_id'),
    matterCode: cells.code('matter_code'),
    timekeeperCode: cells.code('timekeeper_code'),
    workDate: cells.date('work_date'),
    hours: cells.hundredths('hours', HOURS, 'a number of hours'),
    narrative: cells.text('narrative'),
    taskCode: cells.optionalUtbmsCode('task_code'),
    activityCode: cells.optionalUtbmsCode('activity_code'),
    billable: cells.bool('billable', true),
    matterId: 0,
    timekeeperId: 0,
  }),
  key: (r) => r.entryId,
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
    const rows = await db
      .selectFrom('time_entry')
      .select([
        'id',
        'entry_id',
        'matter_id',
        'timekeeper_id',
        'work_date',
        'hours',
        'narrative',
        'task_code',
        'activity_code',
        'billable',
        'status',
        'rate_cents',
        'amount_cents',
      ])
      .where(sql<boolean>`entry_id = any(${values.map((v) => v.entryId)})`)
      .execute();
    return new Map(rows.map((r) => [r.entry_id, r]));
  },
  storedKey: (r) => r.entryId,
  compare(e, r) {
    const sameValuation =
      e.matter_id === r.matterId &&
      e.timekeeper_id === r.timekeeperId &&
      e.work_date === r.workDate &&
      parseHours(e.hours) === r.hours &&
      e.billable === r.billable;
    if (
      sameValuation &&
      e.narrative === r.narrative &&
      e.task_code === r.taskCode &&
      e.activity_code === r.activityCode
    )
      return 'unchanged';
    if (e.status === 'billed')
      return {
        field: 'entry_id',
        message: `time entry ${r.entryId} is billed; its recorded values cannot be changed`,
      };
    return 'changed';
  },
  async insert(db, values, now, options) {
    await insertRows(
      db,
      'time_entry',
      [{ name: 'entry_id', type: 'text', value: (r) => r.entryId }, ...RECORDED],
      values,
      workStatusConstants(options.workStatus, now),
    );
  },
  async update(db, changes, now) {
    const updates = changes.map(({ existing, value }) => ({
      id: existing.id,
      row: value,
      existing,
      revalue:
        existing.matter_id !== value.matterId ||
        existing.timekeeper_id !== value.timekeeperId ||
        existing.work_date !== value.workDate ||
        parseHours(existing.hours) !== value.hours ||
        existing.billable !== value.billable,
    }));
    await updateRows(
      db,
      'time_entry',
      [{ name: 'id', type: 'bigint', value: (u) => u.id }],
      UPDATE_COLUMNS,
      updates,
      now,
    );
  },
  work: {
    entity: 'time_entry',
    place: (r) => ({ matterId: r.matterId, date: r.workDate, externalId: r.entryId }),
  },
  async exportPage(db, after, limit) {
    const rows = await db
      .selectFrom('time_entry as te')
      .innerJoin('matter as m', 'm.id', 'te.matter_id')
      .innerJoin('timekeeper as tk', 'tk.id', 'te.timekeeper_id')
      .select([
        'te.id',
        'te.entry_id',
        'm.matter_code',
        'tk.timekeeper_code',
        'te.work_date',
        'te.hours',
        'te.narrative',
        'te.task_code',
        'te.activity_code',
        'te.billable',
      ])
      .where('te.active', '=', true)
      .where('te.id', '>', after ?? 0)
      .orderBy('te.id')
      .limit(limit)
      .execute();
    return {
      rows: rows.map((r) => [
        r.entry_id,
        r.matter_code,
        r.timekeeper_code,
        r.work_date,
        formatHours(parseHours(r.hours)!),
        r.narrative,
        cell(r.task_code),
        cell(r.activity_code),
        yesNo(r.billable),
      ]),
      next: rows.length === limit ? rows[rows.length - 1]!.id : null,
    };
  },
});
