import type { Insertable, Kysely } from 'kysely';
import type { DB, ExpenseTable } from '../../db/schema.js';
import type { Actor } from '../../domain/policy.js';
import { ownWorkTimekeeperId, visibleMatterIds } from '../matters/matter-access.js';
import type { ExpenseListQuery } from './expenses.schemas.js';

/** Expenses the actor may see: on matters visible for work, and their own if they only record work. */
function selectVisibleExpenses(db: Kysely<DB>, actor: Actor) {
  let q = db
    .selectFrom('expense as ex')
    .innerJoin('matter as m', 'm.id', 'ex.matter_id')
    .leftJoin('timekeeper as tk', 'tk.id', 'ex.timekeeper_id')
    .select([
      'ex.id',
      'ex.expense_id',
      'ex.matter_id',
      'm.matter_code',
      'ex.timekeeper_id',
      'tk.timekeeper_code',
      'ex.expense_date',
      'ex.expense_code',
      'ex.description',
      'ex.quantity',
      'ex.unit_cost_cents',
      'ex.amount_cents',
      'ex.status',
      'ex.released_at',
      'ex.active',
      'ex.version',
      'ex.created_at',
      'ex.updated_at',
    ])
    .where('ex.matter_id', 'in', visibleMatterIds(db, actor, 'work'));
  const own = ownWorkTimekeeperId(actor);
  if (own !== null) q = q.where('ex.timekeeper_id', '=', own);
  return q;
}

export type ExpenseRow = NonNullable<Awaited<ReturnType<typeof findVisibleExpense>>>;

export function findVisibleExpense(db: Kysely<DB>, actor: Actor, id: number) {
  return selectVisibleExpenses(db, actor).where('ex.id', '=', id).executeTakeFirst();
}

/** One page of visible expenses in id order, plus one row to tell whether more follow. */
export function listVisibleExpenses(
  db: Kysely<DB>,
  actor: Actor,
  query: ExpenseListQuery,
  afterId: number | null,
) {
  let q = selectVisibleExpenses(db, actor)
    .orderBy('ex.id')
    .limit(query.limit + 1);
  if (afterId !== null) q = q.where('ex.id', '>', afterId);
  if (query.matter_code) q = q.where('m.matter_code', '=', query.matter_code);
  if (query.timekeeper_code) q = q.where('tk.timekeeper_code', '=', query.timekeeper_code);
  if (query.status) q = q.where('ex.status', '=', query.status);
  if (query.from) q = q.where('ex.expense_date', '>=', query.from);
  if (query.to) q = q.where('ex.expense_date', '<=', query.to);
  if (query.active) q = q.where('ex.active', '=', query.active === 'true');
  return q.execute();
}

export async function insertExpense(db: Kysely<DB>, values: Insertable<ExpenseTable>) {
  const { id } = await db
    .insertInto('expense')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
