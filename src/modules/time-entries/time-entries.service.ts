import { randomUUID } from 'node:crypto';
import type { Kysely, Updateable } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB, TimeEntryTable } from '../../db/schema.js';
import { updateVersioned } from '../../db/versioned.js';
import type { FieldIssue } from '../../domain/errors.js';
import { conflict, notFound, staleVersion, validationError } from '../../domain/errors.js';
import { formatHours, formatMoney, parseHours } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import type { WorkStatus } from '../../domain/roles.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { checkTimeEntry } from '../compliance/check-work.js';
import { blockingFindings, releaseBlocked, toFindingDto } from '../compliance/findings.schemas.js';
import { followInvoicedEntry } from '../prebill/invoiced-entry.js';
import { resolveWorkMatter, resolveWorkTimekeeper } from '../shared/work-references.js';
import * as repo from './time-entries.repository.js';
import { laneOf } from './save-lane.js';
import type { TimeEntryRow } from './time-entries.repository.js';
import type {
  TimeEntryCreate,
  TimeEntryDto,
  TimeEntryListQuery,
  TimeEntryUpdate,
  TimeEntryWithFindings,
} from './time-entries.schemas.js';

function toDto(row: TimeEntryRow): TimeEntryDto {
  const { rate_cents, amount_cents, ...rest } = row;
  return {
    ...rest,
    hours: formatHours(parseHours(row.hours)!),
    status: row.status as WorkStatus,
    rate: rate_cents === null ? null : formatMoney(rate_cents),
    amount: amount_cents === null ? null : formatMoney(amount_cents),
  };
}

/** Normalizes "1.5" to "1.50" so stored and returned hours read the same. */
const normalHours = (text: string) => formatHours(parseHours(text)!);

const entryNotFound = (id: number) => notFound('TIME_ENTRY_NOT_FOUND', `No time entry ${id}.`);

function refuseBilled(row: TimeEntryRow): void {
  if (row.status === 'billed')
    throw conflict(
      'WORK_ALREADY_BILLED',
      `Time entry ${row.entry_id} is billed; change it on the invoice as an adjustment.`,
    );
}

/** Lists the time entries the actor may see, a page at a time. */
export async function listTimeEntries(ctx: AppContext, actor: Actor, query: TimeEntryListQuery) {
  const rows = await repo.listVisibleTimeEntries(ctx.db, actor, query, decodeCursor(query.cursor));
  const page = toPage(rows, query.limit);
  return { items: page.items.map(toDto), next_cursor: page.next_cursor };
}

/** Loads one time entry the actor may see, or fails with TIME_ENTRY_NOT_FOUND. */
export async function getTimeEntry(ctx: AppContext, actor: Actor, id: number) {
  const row = await repo.findVisibleTimeEntry(ctx.db, actor, id);
  if (!row) throw entryNotFound(id);
  return toDto(row);
}

/**
 * Records a draft time entry for the actor (or, for billing staff, for any timekeeper). The
 * references are resolved first, outside any transaction; the entry is then written and
 * checked in the save lane, together with the other saves arriving at the same moment.
 */
export async function createTimeEntry(
  ctx: AppContext,
  actor: Actor,
  input: TimeEntryCreate,
): Promise<TimeEntryWithFindings> {
  const now = ctx.now();
  const issues: FieldIssue[] = [];
  const [timekeeperId, matter] = await Promise.all([
    resolveWorkTimekeeper(ctx.db, actor, input.timekeeper_code, issues),
    resolveWorkMatter(ctx.db, actor, input.matter_code),
  ]);
  if (issues.length > 0 || timekeeperId === null)
    throw validationError('TIME_ENTRY_INVALID', 'The time entry is not valid.', issues);
  const values = {
    entry_id: input.entry_id ?? `MF-${randomUUID()}`,
    matter_id: matter.id,
    timekeeper_id: timekeeperId,
    work_date: input.work_date,
    hours: normalHours(input.hours),
    narrative: input.narrative,
    task_code: input.task_code ?? null,
    activity_code: input.activity_code ?? null,
    billable: input.billable,
    status: 'draft',
  };
  return laneOf<TimeEntryWithFindings>(ctx.db).submit({
    clientId: matter.client_id,
    date: input.work_date,
    write: async (trx) => {
      const row = await repo.insertTimeEntry(trx, values);
      const findings = await checkTimeEntry(trx, actor, row.id, now, undefined, {
        ...row,
        client_id: matter.client_id,
      });
      return {
        result: { ...toDto(row), findings: findings.map(toFindingDto) },
        audit: {
          actor,
          event: {
            action: 'time_entry.create',
            entityType: 'time_entry',
            entityId: row.id,
            after: row,
          },
          occurredAt: now,
        },
      };
    },
  });
}

async function changeTimeEntry(
  ctx: AppContext,
  actor: Actor,
  id: number,
  version: number,
  action: string,
  decide: (before: TimeEntryRow, trx: Kysely<DB>) => Promise<Updateable<TimeEntryTable>>,
): Promise<TimeEntryWithFindings> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findVisibleTimeEntry(trx, actor, id);
    if (!before) throw entryNotFound(id);
    const changes = await decide(before, trx);
    await updateVersioned(trx, 'time_entry', id, version, changes, 'TIME_ENTRY_NOT_FOUND', now);
    const after = (await repo.findVisibleTimeEntry(trx, actor, id))!;
    // The entry's old day is re-judged too: moving hours away can clear a neighbour's finding.
    const findings = await checkTimeEntry(trx, actor, id, now, {
      date: before.work_date,
      matterId: before.matter_id,
      timekeeperId: before.timekeeper_id,
    });
    // Last, so the audit chain's lock (held until commit) is held as briefly as possible.
    await appendAuditEvent(
      trx,
      actor,
      { action, entityType: 'time_entry', entityId: id, before, after },
      now,
    );
    return { ...toDto(after), findings: findings.map(toFindingDto) };
  });
}

/** Corrects a time entry that is not yet billed, if `version` is still current. */
export async function updateTimeEntry(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: TimeEntryUpdate,
): Promise<TimeEntryWithFindings> {
  const { version, matter_code, hours, ...plain } = input;
  return changeTimeEntry(ctx, actor, id, version, 'time_entry.update', async (before, trx) => {
    refuseBilled(before);
    const changes: Updateable<TimeEntryTable> = { ...plain };
    if (hours !== undefined) changes.hours = normalHours(hours);
    if (matter_code !== undefined && matter_code !== before.matter_code)
      changes.matter_id = (await resolveWorkMatter(trx, actor, matter_code)).id;
    // Work on an invoice changes only as pre-bill review allows, and its line follows.
    const changed = Object.entries(changes)
      .filter(([key, value]) => value !== (before as Record<string, unknown>)[key])
      .map(([key]) => (key === 'matter_id' ? 'matter_code' : key));
    if (changed.length > 0)
      await followInvoicedEntry(
        trx,
        actor,
        before,
        { ...before, ...(changes as Partial<TimeEntryRow>) },
        changed,
        ctx.now(),
      );
    return changes;
  });
}

/** Deactivates a time entry that is not billed; it stays in history but is never billed. */
export async function deactivateTimeEntry(
  ctx: AppContext,
  actor: Actor,
  id: number,
  version: number,
): Promise<TimeEntryDto> {
  return changeTimeEntry(ctx, actor, id, version, 'time_entry.deactivate', async (before) => {
    refuseBilled(before);
    return { active: false };
  });
}

/**
 * Releases a draft time entry to billing, unless a block finding is open on it (409
 * RELEASE_BLOCKED listing the findings). The check is stored either way, so the exceptions
 * that stop the release are there for their owners to see.
 */
export async function releaseTimeEntry(
  ctx: AppContext,
  actor: Actor,
  id: number,
  version: number,
): Promise<TimeEntryWithFindings> {
  const now = ctx.now();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findVisibleTimeEntry(trx, actor, id);
    if (!before) throw entryNotFound(id);
    if (before.version !== version) throw staleVersion('time entry', version, before.version);
    if (before.status !== 'draft' || !before.active)
      throw conflict(
        'TIME_ENTRY_NOT_DRAFT',
        `Only an active draft can be released; time entry ${before.entry_id} is ${before.active ? before.status : 'inactive'}.`,
        { status: before.status },
      );
    const findings = await checkTimeEntry(trx, actor, id, now);
    if (blockingFindings(findings).length > 0)
      return { blocked: findings, entryId: before.entry_id, entry: null };
    const changes = { status: 'released', released_at: now };
    await updateVersioned(trx, 'time_entry', id, version, changes, 'TIME_ENTRY_NOT_FOUND', now);
    const after = (await repo.findVisibleTimeEntry(trx, actor, id))!;
    await appendAuditEvent(
      trx,
      actor,
      { action: 'time_entry.release', entityType: 'time_entry', entityId: id, before, after },
      now,
    );
    return { entry: { ...toDto(after), findings: findings.map(toFindingDto) } };
  });
  if (outcome.entry === null)
    throw releaseBlocked(`Time entry ${outcome.entryId}`, outcome.blocked);
  return outcome.entry;
}
