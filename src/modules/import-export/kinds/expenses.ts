import { sql } from 'kysely';
import { extendedAmount, formatMoney, formatScaled, parseScaled } from '../../../domain/money.js';
import type { BulkColumn } from '../bulk.js';
import { insertRows, workStatusConstants, updateById } from '../bulk.js';
import { cell } from '../cells.js';
import { defineKind } from '../kind.js';

interface ExpenseRow {
  expenseId: string;
  matterCode: string;
  timekeeperCode: string | null;
  expenseDate: string;
  expenseCode: string | null;
  description: string;
  /** Hundredths of a unit. */
  quantity: number;
  unitCost: number;
  matterId: number;
  timekeeperId: number | null;
}

interface StoredExpense {
  id: number;
  expense_id: string;
  matter_id: number;
  timekeeper_id: number | null;
  expense_date: string;
  expense_code: string | null;
  description: string;
  quantity: string;
  unit_cost_cents: number;
  status: string;
}

const RECORDED: BulkColumn<ExpenseRow>[] = [
  { name: 'matter_id', type: 'bigint', value: (r) => r.matterId },
  { name: 'timekeeper_id', type: 'bigint', value: (r) => r.timekeeperId },
  { name: 'expense_date', type: 'date', value: (r) => r.expenseDate },
  { name: 'expense_code', type: 'text', value: (r) => r.expenseCode },
  { name: 'description', type: 'text', value: (r) => r.description },
  { name: 'quantity', type: 'numeric', value: (r) => formatScaled(r.quantity, 2) },
  { name: 'unit_cost_cents', type: 'bigint', value: (r) => r.unitCost },
  // The database checks the same half-up rule (amount_cents = round(quantity × unit cost)).
  {
    name: 'amount_cents',
    type: 'bigint',
    value: (r) => extendedAmount(r.quantity, r.unitCost),
  },
];

/** quantity is numeric(10, 2). */
const QUANTITY = { above: 0, max: 9_999_999_999 };

/** Expenses (disbursements) from the firm's time system, keyed by their external expense id. */
export const expenses = defineKind<ExpenseRow, ExpenseRow, StoredExpense>({
  kind: 'expenses',
  resource: 'expense',
  columns: [
    'expense_id',
    'matter_code',
    'timekeeper_code',
    'expense_date',
    'expense_code',
    'description',
    'quantity',
    'unit_cost',
  ],
  keyColumns: ['expense_id'],
  parse(cells) {
    const r: ExpenseRow = {
      expenseId: cells.externalId('expense_id'),
      matterCode: cells.code('matter_code'),
      timekeeperCode: cells.optionalCode('timekeeper_code'),
      expenseDate: cells.date('expense_date'),
      expenseCode: cells.optionalUtbmsCode('expense_code'),
      description: cells.text('description'),
      quantity: cells.hundredths('quantity', QUANTITY, 'a quantity'),
      unitCost: cells.hundredths('unit_cost', { min: 0 }),
      matterId: 0,
      timekeeperId: null,
    };
    if (!cells.failed) {
      try {
        extendedAmount(r.quantity, r.unitCost);
      } catch {
        cells.fail('unit_cost', 'quantity × unit_cost is too large');
      }
    }
    return r;
  },
  key: (r) => r.expenseId,
  async prepare(_db, rows, refs, report) {
    await refs.load({
      matters: rows.map((r) => r.value.matterCode),
      timekeepers: rows.map((r) => r.value.timekeeperCode),
    });
    return rows.map(({ row, value }) => {
      const matter = refs.matter(value.matterCode);
      const timekeeper = value.timekeeperCode && refs.timekeeper(value.timekeeperCode);
      if (!matter) report(row, 'matter_code', `unknown matter "${value.matterCode}"`);
      if (timekeeper === undefined)
        report(row, 'timekeeper_code', `unknown timekeeper "${value.timekeeperCode}"`);
      if (!matter || timekeeper === undefined) return undefined;
      value.matterId = matter.id;
      value.timekeeperId = timekeeper ? timekeeper.id : null;
      return value;
    });
  },
  async loadExisting(db, values) {
    const rows = await db
      .selectFrom('expense')
      .select([
        'id',
        'expense_id',
        'matter_id',
        'timekeeper_id',
        'expense_date',
        'expense_code',
        'description',
        'quantity',
        'unit_cost_cents',
        'status',
      ])
      .where(sql<boolean>`expense_id = any(${values.map((v) => v.expenseId)})`)
      .execute();
    return new Map(rows.map((r) => [r.expense_id, r]));
  },
  storedKey: (r) => r.expenseId,
  compare(e, r) {
    if (
      e.matter_id === r.matterId &&
      e.timekeeper_id === r.timekeeperId &&
      e.expense_date === r.expenseDate &&
      e.expense_code === r.expenseCode &&
      e.description === r.description &&
      parseScaled(e.quantity, 2) === r.quantity &&
      e.unit_cost_cents === r.unitCost
    )
      return 'unchanged';
    if (e.status === 'billed')
      return {
        field: 'expense_id',
        message: `expense ${r.expenseId} is billed; its recorded values cannot be changed`,
      };
    return 'changed';
  },
  async insert(db, values, now, options) {
    await insertRows(
      db,
      'expense',
      [{ name: 'expense_id', type: 'text', value: (r) => r.expenseId }, ...RECORDED],
      values,
      workStatusConstants(options.workStatus, now),
    );
  },
  async update(db, changes, now) {
    await updateById(db, 'expense', RECORDED, changes, now);
  },
  work: {
    entity: 'expense',
    place: (r) => ({ matterId: r.matterId, date: r.expenseDate, externalId: r.expenseId }),
  },
  async exportPage(db, after, limit) {
    const rows = await db
      .selectFrom('expense as e')
      .innerJoin('matter as m', 'm.id', 'e.matter_id')
      .leftJoin('timekeeper as tk', 'tk.id', 'e.timekeeper_id')
      .select([
        'e.id',
        'e.expense_id',
        'm.matter_code',
        'tk.timekeeper_code',
        'e.expense_date',
        'e.expense_code',
        'e.description',
        'e.quantity',
        'e.unit_cost_cents',
      ])
      .where('e.active', '=', true)
      .where('e.id', '>', after ?? 0)
      .orderBy('e.id')
      .limit(limit)
      .execute();
    return {
      rows: rows.map((r) => [
        r.expense_id,
        r.matter_code,
        cell(r.timekeeper_code),
        r.expense_date,
        cell(r.expense_code),
        r.description,
        formatScaled(parseScaled(r.quantity, 2)!, 2),
        formatMoney(r.unit_cost_cents),
      ]),
      next: rows.length === limit ? rows[rows.length - 1]!.id : null,
    };
  },
});
