import { randomUUID } from 'node:crypto';
import type { Kysely, Updateable } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB, ExpenseTable } from '../../db/schema.js';
import { updateVersioned } from '../../db/versioned.js';
import type { FieldIssue } from '../../domain/errors.js';
import { conflict, notFound, staleVersion, validationError } from '../../domain/errors.js';
import {
  extendedAmount,
  formatMoney,
  formatScaled,
  parseMoney,
  parseScaled,
} from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import type { WorkStatus } from '../../domain/roles.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { checkExpense } from '../compliance/check-work.js';
import { blockingFindings, releaseBlocked, toFindingDto } from '../compliance/findings.schemas.js';
import { ownWorkTimekeeperId } from '../matters/matter-access.js';
import { resolveWorkMatter, resolveWorkTimekeeper } from '../shared/work-references.js';
import * as repo from './expenses.repository.js';
import type { ExpenseRow } from './expenses.repository.js';
import type {
  ExpenseCreate,
  ExpenseDto,
  ExpenseListQuery,
  ExpenseUpdate,
  ExpenseWithFindings,
} from './expenses.schemas.js';

/** Quantities are stored as numeric(10,2) and computed on in hundredths. */
const parseQuantity = (text: string) => parseScaled(text, 2)!;
const formatQuantity = (hundredths: number) => formatScaled(hundredths, 2);

function toDto(row: ExpenseRow): ExpenseDto {
  const { unit_cost_cents, amount_cents, ...rest } = row;
  return {
    ...rest,
    quantity: formatQuantity(parseQuantity(row.quantity)),
    unit_cost: formatMoney(unit_cost_cents),
    amount: formatMoney(amount_cents),
    status: row.status as WorkStatus,
  };
}

/** The stored amount must equal round(quantity × unit cost); a CHECK constraint holds us to it. */
function priced(quantity: number, unitCost: number) {
  return {
    quantity: formatQuantity(quantity),
    unit_cost_cents: unitCost,
    amount_cents: extendedAmount(quantity, unitCost),
  };
}

const expenseNotFound = (id: number) => notFound('EXPENSE_NOT_FOUND', `No expense ${id}.`);

function refuseBilled(row: ExpenseRow): void {
  if (row.status === 'billed')
    throw conflict(
      'WORK_ALREADY_BILLED',
      `Expense ${row.expense_id} is billed; change it on the invoice as an adjustment.`,
    );
}

/** Lists the expenses the actor may see, a page at a time. */
export async function listExpenses(ctx: AppContext, actor: Actor, query: ExpenseListQuery) {
  const rows = await repo.listVisibleExpenses(ctx.db, actor, query, decodeCursor(query.cursor));
  const page = toPage(rows, query.limit);
  return { items: page.items.map(toDto), next_cursor: page.next_cursor };
}

/** Loads one expense the actor may see, or fails with EXPENSE_NOT_FOUND. */
export async function getExpense(ctx: AppContext, actor: Actor, id: number) {
  const row = await repo.findVisibleExpense(ctx.db, actor, id);
  if (!row) throw expenseNotFound(id);
  return toDto(row);
}

/** Records a draft expense, its amount computed from quantity and unit cost. */
export async function createExpense(
  ctx: AppContext,
  actor: Actor,
  input: ExpenseCreate,
): Promise<ExpenseWithFindings> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const issues: FieldIssue[] = [];
    // Billing staff may record an expense for no one in particular; timekeepers record their own.
    const needsTimekeeper =
      input.timekeeper_code !== undefined || ownWorkTimekeeperId(actor) !== null;
    const timekeeperId = needsTimekeeper
      ? await resolveWorkTimekeeper(trx, actor, input.timekeeper_code, issues)
      : null;
    const matter = await resolveWorkMatter(trx, actor, input.matter_code);
    if (issues.length > 0)
      throw validationError('EXPENSE_INVALID', 'The expense is not valid.', issues);

    const id = await repo.insertExpense(trx, {
      expense_id: input.expense_id ?? `MF-${randomUUID()}`,
      matter_id: matter.id,
      timekeeper_id: timekeeperId,
      expense_date: input.expense_date,
      expense_code: input.expense_code ?? null,
      description: input.description,
      ...priced(parseQuantity(input.quantity), parseMoney(input.unit_cost)!),
      status: 'draft',
    });
    const row = (await repo.findVisibleExpense(trx, actor, id))!;
    await appendAuditEvent(
      trx,
      actor,
      { action: 'expense.create', entityType: 'expense', entityId: id, after: row },
      now,
    );
    const findings = await checkExpense(trx, actor, id, now);
    return { ...toDto(row), findings: findings.map(toFindingDto) };
  });
}

async function changeExpense(
  ctx: AppContext,
  actor: Actor,
  id: number,
  version: number,
  action: string,
  decide: (before: ExpenseRow, trx: Kysely<DB>) => Promise<Updateable<ExpenseTable>>,
): Promise<ExpenseWithFindings> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findVisibleExpense(trx, actor, id);
    if (!before) throw expenseNotFound(id);
    const changes = await decide(before, trx);
    await updateVersioned(trx, 'expense', id, version, changes, 'EXPENSE_NOT_FOUND', now);
    const after = (await repo.findVisibleExpense(trx, actor, id))!;
    await appendAuditEvent(
      trx,
      actor,
      { action, entityType: 'expense', entityId: id, before, after },
      now,
    );
    // The old day is re-judged too: a moved expense may no longer duplicate one left behind.
    const findings = await checkExpense(trx, actor, id, now, {
      date: before.expense_date,
      matterId: before.matter_id,
    });
    return { ...toDto(after), findings: findings.map(toFindingDto) };
  });
}

/** Corrects an expense that is not yet billed, if `version` is still current. */
export async function updateExpense(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: ExpenseUpdate,
): Promise<ExpenseWithFindings> {
  const { version, matter_code, quantity, unit_cost, ...plain } = input;
  return changeExpense(ctx, actor, id, version, 'expense.update', async (before, trx) => {
    refuseBilled(before);
    const changes: Updateable<ExpenseTable> = { ...plain };
    if (quantity !== undefined || unit_cost !== undefined) {
      Object.assign(
        changes,
        priced(
          parseQuantity(quantity ?? before.quantity),
          unit_cost === undefined ? before.unit_cost_cents : parseMoney(unit_cost)!,
        ),
      );
    }
    if (matter_code !== undefined && matter_code !== before.matter_code)
      changes.matter_id = (await resolveWorkMatter(trx, actor, matter_code)).id;
    return changes;
  });
}

/** Deactivates an expense that is not billed; it stays in history but is never billed. */
export async function deactivateExpense(
  ctx: AppContext,
  actor: Actor,
  id: number,
  version: number,
): Promise<ExpenseDto> {
  return changeExpense(ctx, actor, id, version, 'expense.deactivate', async (before) => {
    refuseBilled(before);
    return { active: false };
  });
}

/**
 * Releases a draft expense to billing, unless a block finding is open on it (409
 * RELEASE_BLOCKED listing the findings). The check is stored either way.
 */
export async function releaseExpense(
  ctx: AppContext,
  actor: Actor,
  id: number,
  version: number,
): Promise<ExpenseWithFindings> {
  const now = ctx.now();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findVisibleExpense(trx, actor, id);
    if (!before) throw expenseNotFound(id);
    if (before.version !== version) throw staleVersion('expense', version, before.version);
    if (before.status !== 'draft' || !before.active)
      throw conflict(
        'EXPENSE_NOT_DRAFT',
        `Only an active draft can be released; expense ${before.expense_id} is ${before.active ? before.status : 'inactive'}.`,
        { status: before.status },
      );
    const findings = await checkExpense(trx, actor, id, now);
    if (blockingFindings(findings).length > 0)
      return { blocked: findings, expenseId: before.expense_id, expense: null };
    const changes = { status: 'released', released_at: now };
    await updateVersioned(trx, 'expense', id, version, changes, 'EXPENSE_NOT_FOUND', now);
    const after = (await repo.findVisibleExpense(trx, actor, id))!;
    await appendAuditEvent(
      trx,
      actor,
      { action: 'expense.release', entityType: 'expense', entityId: id, before, after },
      now,
    );
    return { expense: { ...toDto(after), findings: findings.map(toFindingDto) } };
  });
  if (outcome.expense === null)
    throw releaseBlocked(`Expense ${outcome.expenseId}`, outcome.blocked);
  return outcome.expense;
}
