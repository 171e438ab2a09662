import type { Kysely, Updateable } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB, MatterTable } from '../../db/schema.js';
import { updateVersioned } from '../../db/versioned.js';
import type { FieldIssue } from '../../domain/errors.js';
import { notFound, validationError } from '../../domain/errors.js';
import { formatMoney, parseMoney } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import type { FeeArrangement, MatterStatus } from '../../domain/roles.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as refs from '../shared/references.repository.js';
import * as repo from './matters.repository.js';
import type { MatterRow } from './matters.repository.js';
import type {
  MatterCreate,
  MatterDto,
  MatterListQuery,
  MatterUpdate,
  MemberDto,
} from './matters.schemas.js';

const moneyOrNull = (cents: number | null) => (cents === null ? null : formatMoney(cents));
const centsOrNull = (text: string | null | undefined) =>
  text === null || text === undefined ? null : parseMoney(text);

function toDto(row: MatterRow): MatterDto {
  const { fee_amount_cents, budget_cents, ...rest } = row;
  return {
    ...rest,
    fee_arrangement: row.fee_arrangement as FeeArrangement,
    status: row.status as MatterStatus,
    fee_amount: moneyOrNull(fee_amount_cents),
    budget: moneyOrNull(budget_cents),
  };
}

const matterNotFound = (id: number | string) => notFound('MATTER_NOT_FOUND', `No matter ${id}.`);

/** Lists the matters the actor may see, a page at a time. */
export async function listMatters(ctx: AppContext, actor: Actor, query: MatterListQuery) {
  const rows = await repo.listVisibleMatters(ctx.db, actor, query, decodeCursor(query.cursor));
  const page = toPage(rows, query.limit);
  return { items: page.items.map(toDto), next_cursor: page.next_cursor };
}

/** Loads one matter the actor may see, or fails with MATTER_NOT_FOUND (walls answer 404, not 403). */
export async function getMatter(ctx: AppContext, actor: Actor, id: number): Promise<MatterDto> {
  const row = await repo.findVisibleMatter(ctx.db, actor, id);
  if (!row) throw matterNotFound(id);
  return toDto(row);
}

interface PeopleCodes {
  responsible_attorney?: string | undefined;
  billing_partner?: string | undefined;
  billing_coordinator?: string | null | undefined;
}

/** Resolves the people a matter names by code or email, reporting every unknown one. */
async function resolvePeople(db: Kysely<DB>, input: PeopleCodes, issues: FieldIssue[]) {
  const ids: Updateable<MatterTable> = {};
  for (const field of ['responsible_attorney', 'billing_partner'] as const) {
    const code = input[field];
    if (code === undefined) continue;
    const timekeeper = await refs.findTimekeeperByCode(db, code);
    if (!timekeeper) issues.push({ field, message: `no timekeeper with code ${code}` });
    else if (!timekeeper.active) issues.push({ field, message: `timekeeper ${code} is inactive` });
    else ids[`${field}_id`] = timekeeper.id;
  }
  if (input.billing_coordinator === null) ids.billing_coordinator_id = null;
  else if (input.billing_coordinator !== undefined) {
    const user = await refs.findUserIdByEmail(db, input.billing_coordinator);
    if (!user || !user.active)
      issues.push({
        field: 'billing_coordinator',
        message: `no active user with email ${input.billing_coordinator}`,
      });
    else ids.billing_coordinator_id = user.id;
  }
  return ids;
}

/** The rules that span fields: a fee amount exactly when the arrangement needs one; closing dates. */
function checkMatterShape(
  matter: {
    fee_arrangement: string;
    fee_amount_cents: number | null;
    status: string;
    opened_on: string;
    closed_on: string | null;
  },
  issues: FieldIssue[],
): void {
  const needsAmount = matter.fee_arrangement === 'flat' || matter.fee_arrangement === 'capped';
  if (needsAmount && matter.fee_amount_cents === null)
    issues.push({
      field: 'fee_amount',
      message: `is required for a ${matter.fee_arrangement} fee`,
    });
  if (matter.fee_arrangement === 'hourly' && matter.fee_amount_cents !== null)
    issues.push({ field: 'fee_amount', message: 'must be empty for an hourly matter' });
  if (matter.status === 'closed' && matter.closed_on === null)
    issues.push({ field: 'closed_on', message: 'is required when the matter is closed' });
  if (matter.closed_on !== null && matter.closed_on < matter.opened_on)
    issues.push({ field: 'closed_on', message: 'must not be before opened_on' });
}

function invalidMatter(issues: FieldIssue[]) {
  return validationError('MATTER_INVALID', 'The matter is not valid.', issues);
}

/** Whoever walls off a matter stays inside the wall, unless an admin (who sees it anyway). */
async function keepActorInsideWall(db: Kysely<DB>, actor: Actor, matterId: number, now: Date) {
  if (actor.via === 'system' || actor.roles.includes('admin')) return;
  await repo.insertMember(db, matterId, Number(actor.userId), now);
}

/** Creates a matter from codes (client, timekeepers, coordinator email) and audits it. */
export async function createMatter(
  ctx: AppContext,
  actor: Actor,
  input: MatterCreate,
): Promise<MatterDto> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const issues: FieldIssue[] = [];
    const client = await refs.findClientByCode(trx, input.client_code);
    if (!client)
      issues.push({ field: 'client_code', message: `no client with code ${input.client_code}` });
    else if (!client.active)
      issues.push({ field: 'client_code', message: `client ${input.client_code} is inactive` });
    const people = await resolvePeople(
      trx,
      { ...input, billing_partner: input.billing_partner ?? input.responsible_attorney },
      issues,
    );
    const values = {
      fee_arrangement: input.fee_arrangement,
      fee_amount_cents: centsOrNull(input.fee_amount),
      status: input.status,
      opened_on: input.opened_on,
      closed_on: input.closed_on ?? null,
    };
    checkMatterShape(values, issues);
    if (issues.length > 0 || !client) throw invalidMatter(issues);

    const id = await repo.insertMatter(trx, {
      ...values,
      matter_code: input.matter_code,
      client_id: client.id,
      client_matter_id: input.client_matter_id ?? null,
      name: input.name,
      practice_area: input.practice_area,
      jurisdiction: input.jurisdiction ?? null,
      office: input.office ?? null,
      responsible_attorney_id: people.responsible_attorney_id!,
      billing_partner_id: people.billing_partner_id!,
      billing_coordinator_id: people.billing_coordinator_id ?? null,
      budget_cents: centsOrNull(input.budget),
      restricted: input.restricted,
    });
    if (input.restricted) await keepActorInsideWall(trx, actor, id, now);
    const row = (await repo.findVisibleMatter(trx, actor, id))!;
    await appendAuditEvent(
      trx,
      actor,
      { action: 'matter.create', entityType: 'matter', entityId: id, after: row },
      now,
    );
    return toDto(row);
  });
}

/** Changes a matter the actor may see if `version` is still current (409 STALE_VERSION otherwise). */
export async function updateMatter(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: MatterUpdate,
): Promise<MatterDto> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findVisibleMatter(trx, actor, id);
    if (!before) throw matterNotFound(id);
    const {
      version,
      fee_amount,
      budget,
      responsible_attorney,
      billing_partner,
      billing_coordinator,
      ...plain
    } = input;
    const issues: FieldIssue[] = [];
    const people = await resolvePeople(
      trx,
      { responsible_attorney, billing_partner, billing_coordinator },
      issues,
    );
    const changes: Updateable<MatterTable> = { ...plain, ...people };
    if (fee_amount !== undefined) changes.fee_amount_cents = centsOrNull(fee_amount);
    if (budget !== undefined) changes.budget_cents = centsOrNull(budget);
    checkMatterShape(
      {
        fee_arrangement: changes.fee_arrangement ?? before.fee_arrangement,
        fee_amount_cents:
          changes.fee_amount_cents === undefined
            ? before.fee_amount_cents
            : changes.fee_amount_cents,
        status: changes.status ?? before.status,
        opened_on: changes.opened_on ?? before.opened_on,
        closed_on: changes.closed_on === undefined ? before.closed_on : changes.closed_on,
      },
      issues,
    );
    if (issues.length > 0) throw invalidMatter(issues);

    await updateVersioned(trx, 'matter', id, version, changes, 'MATTER_NOT_FOUND', now);
    if (input.restricted && !before.restricted) await keepActorInsideWall(trx, actor, id, now);
    const after = (await repo.findVisibleMatter(trx, actor, id))!;
    await appendAuditEvent(
      trx,
      actor,
      { action: 'matter.update', entityType: 'matter', entityId: id, before, after },
      now,
    );
    return toDto(after);
  });
}

/** Deactivates a matter: kept for history and billing, closed to new work. */
export async function deactivateMatter(
  ctx: AppContext,
  actor: Actor,
  id: number,
  version: number,
): Promise<MatterDto> {
  return updateMatter(ctx, actor, id, { version, active: false });
}

/** Lists the members of a matter's ethical wall. */
export async function listMembers(
  ctx: AppContext,
  actor: Actor,
  matterId: number,
): Promise<{ items: MemberDto[] }> {
  if (!(await repo.findVisibleMatter(ctx.db, actor, matterId))) throw matterNotFound(matterId);
  return { items: await repo.listMembers(ctx.db, matterId) };
}

/** Puts a user inside a matter's wall (no change when already a member). */
export async function addMember(
  ctx: AppContext,
  actor: Actor,
  matterId: number,
  userId: number,
): Promise<MemberDto> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.findVisibleMatter(trx, actor, matterId))) throw matterNotFound(matterId);
    const user = await repo.findUserById(trx, userId);
    if (!user) throw notFound('USER_NOT_FOUND', `No user ${userId}.`);
    if (await repo.insertMember(trx, matterId, userId, now)) {
      await appendAuditEvent(
        trx,
        actor,
        {
          action: 'matter.member_add',
          entityType: 'matter',
          entityId: matterId,
          after: { user_id: userId, email: user.email },
        },
        now,
      );
    }
    const members = await repo.listMembers(trx, matterId);
    return members.find((member) => member.user_id === userId)!;
  });
}

/** Takes a user out of a matter's wall. */
export async function removeMember(
  ctx: AppContext,
  actor: Actor,
  matterId: number,
  userId: number,
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.findVisibleMatter(trx, actor, matterId))) throw matterNotFound(matterId);
    if (!(await repo.deleteMember(trx, matterId, userId)))
      throw notFound('MEMBER_NOT_FOUND', `User ${userId} is not a member of matter ${matterId}.`);
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'matter.member_remove',
        entityType: 'matter',
        entityId: matterId,
        before: { user_id: userId },
      },
      now,
    );
  });
}
