import type { AppContext } from '../../config/context.js';
import { conflict, notFound, staleVersion } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { settleExceptionStatesOfWork } from '../invoices/exception-state.js';
import * as repo from './exceptions.repository.js';
import type {
  ExceptionDto,
  ExceptionListQuery,
  RecheckBody,
  RecheckResult,
  WaiveBody,
} from './exceptions.schemas.js';
import { countBySeverity } from './findings.schemas.js';
import { scanWork } from './scan.js';

function toDto(row: repo.ExceptionRow): ExceptionDto {
  const { entity_external_id, invoice_id: _invoiceId, ...rest } = row;
  return {
    ...rest,
    entity_id: entity_external_id,
    severity: row.severity as ExceptionDto['severity'],
    owner_role: row.owner_role as ExceptionDto['owner_role'],
    entity_type: row.entity_type as ExceptionDto['entity_type'],
    state: row.state as ExceptionDto['state'],
  };
}

const exceptionNotFound = (id: number) =>
  notFound('EXCEPTION_NOT_FOUND', `No guideline exception ${id}.`);

/** Lists the exceptions the actor may see, a page at a time; `owner=me` means the actor. */
export async function listExceptions(ctx: AppContext, actor: Actor, query: ExceptionListQuery) {
  const owner =
    query.owner === 'me' ? (actor.via === 'system' ? -1 : Number(actor.userId)) : query.owner;
  const rows = await repo.listVisibleExceptions(
    ctx.db,
    actor,
    {
      ...(owner === undefined ? {} : { ownerUserId: owner }),
      ...(query.rule_id === undefined ? {} : { ruleId: query.rule_id }),
      ...(query.matter_code === undefined ? {} : { matterCode: query.matter_code }),
      ...(query.state === undefined ? {} : { state: query.state }),
      ...(query.severity === undefined ? {} : { severity: query.severity }),
    },
    query.limit,
    decodeCursor(query.cursor),
  );
  const page = toPage(rows, query.limit);
  return { items: page.items.map(toDto), next_cursor: page.next_cursor };
}

/** Loads one exception the actor may see, or fails with EXCEPTION_NOT_FOUND. */
export async function getException(ctx: AppContext, actor: Actor, id: number) {
  const row = await repo.findVisibleException(ctx.db, actor, id);
  if (!row) throw exceptionNotFound(id);
  return toDto(row);
}

/**
 * Waives an open exception: the finding stands, but someone accountable accepted it, with a
 * reason on record. A waived exception no longer blocks a release and stays waived on recheck.
 */
export async function waiveException(
  ctx: AppContext,
  actor: Actor,
  id: number,
  body: WaiveBody,
): Promise<ExceptionDto> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findVisibleException(trx, actor, id);
    if (!before) throw exceptionNotFound(id);
    if (before.version !== body.version)
      throw staleVersion('exception', body.version, before.version);
    if (before.state !== 'open')
      throw conflict(
        'EXCEPTION_NOT_OPEN',
        `Exception ${id} is ${before.state}; only an open one can be waived.`,
        {
          state: before.state,
        },
      );
    const waivedBy = actor.via === 'system' ? null : Number(actor.userId);
    if (!(await repo.waiveException(trx, id, body.version, waivedBy, body.reason, now)))
      throw staleVersion('exception', body.version);
    const after = (await repo.findVisibleException(trx, actor, id))!;
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'guideline_exception.waive',
        entityType: 'guideline_exception',
        entityId: id,
        before: { state: before.state, version: before.version },
        after: { state: after.state, version: after.version, waived_by: waivedBy },
        reason: body.reason,
      },
      now,
    );
    // A waived block may have been the last one holding its invoice in exception.
    if (before.severity === 'block')
      await settleExceptionStatesOfWork(
        trx,
        actor,
        now,
        {
          entryIds: before.time_entry_id === null ? [] : [Number(before.time_entry_id)],
          expenseIds: before.expense_id === null ? [] : [Number(before.expense_id)],
          invoiceIds: before.invoice_id === null ? [] : [Number(before.invoice_id)],
        },
        'waive',
      );
    return toDto(after);
  });
}

/** Re-runs the checks over a window and brings its exceptions up to date. */
export async function recheckExceptions(
  ctx: AppContext,
  actor: Actor,
  body: RecheckBody,
): Promise<RecheckResult> {
  const window = {
    from: body.from,
    to: body.to,
    ...(body.client_code === undefined ? {} : { clientCode: body.client_code }),
    ...(body.matter_code === undefined ? {} : { matterCode: body.matter_code }),
  };
  const result = await scanWork(ctx, actor, window, { sync: true });
  const summary: RecheckResult = {
    entries_checked: result.entriesChecked,
    expenses_checked: result.expensesChecked,
    findings: countBySeverity(result.findings),
    opened: result.exceptionsOpened,
    resolved: result.exceptionsResolved,
  };
  await ctx.db.transaction().execute((trx) =>
    appendAuditEvent(
      trx,
      actor,
      {
        action: 'guideline_exception.recheck',
        entityType: 'guideline_exception',
        entityId: null,
        after: { ...body, ...summary },
      },
      ctx.now(),
    ),
  );
  return summary;
}
