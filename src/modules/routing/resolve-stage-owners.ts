import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { notFound, validationError } from '../../domain/errors.js';
import { formatMoney, parseMoney, type Cents } from '../../domain/money.js';
import type { Actor } from '../../domain/policy.js';
import type { FeeArrangement } from '../../domain/roles.js';
import {
  routeInvoice,
  type RoleRef,
  type Route,
  type RoutingTable,
} from '../../domain/workflow/index.js';
import * as repo from './routing.repository.js';
import type { StageOwnersDto } from './routing.schemas.js';

/**
 * The route when no routing table is active: the billing coordinator reviews and the
 * responsible attorney approves, the default ownership by stage.
 */
export const BUILT_IN_ROUTE: Route = {
  reviewer: 'billing_coordinator',
  approvers: ['responsible_attorney'],
};

/** A stage owner: the role the table names and the user who holds it (null when nobody does). */
export interface StageOwner {
  role: RoleRef;
  userId: number | null;
  email: string | null;
}

/** Who reviews an invoice and who approves it at each level, and what decided it. */
export interface StageOwners {
  /** The active table's key and version; null when the built-in route applied. */
  table: { key: string; version: number } | null;
  /** The matching rule; null when the table's default (or the built-in route) applied. */
  ruleId: string | null;
  reviewer: StageOwner;
  approvers: (StageOwner & { level: number })[];
}

type RoutingMatter = NonNullable<Awaited<ReturnType<typeof repo.findRoutingMatter>>>;

/**
 * The owners of an invoice's review and approval stages for a matter and invoice total, from
 * the active routing table and the matter, never from who happens to be available. A role
 * nobody active holds resolves to a null user, for the workflow to raise rather than guess.
 */
export async function resolveStageOwners(
  db: Kysely<DB>,
  matterId: number,
  amountCents: Cents,
): Promise<StageOwners> {
  const matter = await repo.findRoutingMatter(db, matterId);
  if (!matter) throw notFound('MATTER_NOT_FOUND', `No matter with id ${matterId}.`);
  return ownersFor(db, matter, amountCents);
}

async function ownersFor(
  db: Kysely<DB>,
  matter: RoutingMatter,
  amountCents: Cents,
): Promise<StageOwners> {
  const active = await repo.findActiveDocument(db);
  // Stored by import as the JSON of a parsed RoutingTable.
  const table = active?.document as RoutingTable | undefined;
  const decision = table
    ? routeInvoice(table, {
        practiceArea: matter.practice_area,
        clientCode: matter.client_code,
        office: matter.office,
        jurisdiction: matter.jurisdiction,
        feeArrangement: matter.fee_arrangement as FeeArrangement,
        amountCents,
      })
    : { ruleId: null, ...BUILT_IN_ROUTE };
  const reviewer = await ownerOf(db, matter, decision.reviewer);
  const approvers = [];
  for (const [index, role] of decision.approvers.entries())
    approvers.push({ level: index + 1, ...(await ownerOf(db, matter, role)) });
  return {
    table: active ? { key: active.table_key, version: active.version } : null,
    ruleId: decision.ruleId,
    reviewer,
    approvers,
  };
}

async function ownerOf(db: Kysely<DB>, matter: RoutingMatter, role: RoleRef): Promise<StageOwner> {
  let user: { id: number; email: string } | undefined;
  if (role === 'billing_coordinator')
    user =
      matter.billing_coordinator_id === null
        ? undefined
        : await repo.findActiveUser(db, matter.billing_coordinator_id);
  else if (role === 'responsible_attorney')
    user = await repo.findActiveUserOfTimekeeper(db, matter.responsible_attorney_id);
  else if (role === 'billing_partner')
    user = await repo.findActiveUserOfTimekeeper(db, matter.billing_partner_id);
  else if (role === 'legal_ops') user = await repo.findFirstLegalOps(db);
  else user = await repo.findActiveUserByEmail(db, role.slice('user:'.length));
  return { role, userId: user ? Number(user.id) : null, email: user?.email ?? null };
}

/**
 * Previews the owners for a matter the actor may see, by code, and an amount as a decimal
 * string. A matter hidden from the actor (an ethical wall) answers MATTER_NOT_FOUND.
 */
export async function previewStageOwners(
  ctx: AppContext,
  actor: Actor,
  matterCode: string,
  amount: string,
): Promise<StageOwnersDto> {
  const amountCents = parseMoney(amount);
  if (amountCents === null || amountCents < 0)
    throw validationError('AMOUNT_INVALID', `"${amount}" is not an amount.`, [
      { field: 'amount', message: 'must be a decimal amount, e.g. "1234.50"' },
    ]);
  const matter = await repo.findVisibleRoutingMatter(ctx.db, actor, matterCode);
  if (!matter) throw notFound('MATTER_NOT_FOUND', `No matter with code "${matterCode}".`);
  const owners = await ownersFor(ctx.db, matter, amountCents);
  const dto = (o: StageOwner) => ({ role: o.role, user_id: o.userId, email: o.email });
  return {
    matter_code: matter.matter_code,
    amount: formatMoney(amountCents),
    table: owners.table,
    rule_id: owners.ruleId,
    reviewer: dto(owners.reviewer),
    approvers: owners.approvers.map((a) => ({ level: a.level, ...dto(a) })),
  };
}
