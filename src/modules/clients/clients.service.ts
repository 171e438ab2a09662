import type { AppContext } from '../../config/context.js';
import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { updateVersioned } from '../../db/versioned.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as repo from './clients.repository.js';
import type { ClientCreate, ClientDto, ClientListQuery, ClientUpdate } from './clients.schemas.js';

type ClientRow = NonNullable<Awaited<ReturnType<typeof repo.findClientById>>>;

function toDto(row: ClientRow): ClientDto {
  return { ...row, ebilling_format: row.ebilling_format as ClientDto['ebilling_format'] };
}

/** Lists clients a page at a time. Clients are firm-wide reference data, visible to every role. */
export async function listClients(ctx: AppContext, _actor: Actor, query: ClientListQuery) {
  const rows = await repo.listClients(ctx.db, query, decodeCursor(query.cursor));
  const page = toPage(rows, query.limit);
  return { items: page.items.map(toDto), next_cursor: page.next_cursor };
}

/** Loads one client or fails with CLIENT_NOT_FOUND. */
export async function getClient(ctx: AppContext, _actor: Actor, id: number): Promise<ClientDto> {
  const row = await repo.findClientById(ctx.db, id);
  if (!row) throw notFound('CLIENT_NOT_FOUND', `No client ${id}.`);
  return toDto(row);
}

/** Creates a client and records it in the audit trail. */
export async function createClient(
  ctx: AppContext,
  actor: Actor,
  input: ClientCreate,
): Promise<ClientDto> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.insertClient(trx, {
      client_code: input.client_code,
      name: input.name,
      currency: input.currency,
      ebilling_format: input.ebilling_format,
      ebilling_client_id: input.ebilling_client_id ?? null,
      law_firm_id: input.law_firm_id ?? null,
    });
    await appendAuditEvent(
      trx,
      actor,
      { action: 'client.create', entityType: 'client', entityId: row.id, after: row },
      now,
    );
    return toDto(row);
  });
}

/** Changes a client if `version` is still current (409 STALE_VERSION otherwise). */
export async function updateClient(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: ClientUpdate,
): Promise<ClientDto> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findClientById(trx, id);
    if (!before) throw notFound('CLIENT_NOT_FOUND', `No client ${id}.`);
    const { version, ...changes } = input;
    await updateVersioned(trx, 'client', id, version, changes, 'CLIENT_NOT_FOUND', now);
    const after = (await repo.findClientById(trx, id))!;
    await appendAuditEvent(
      trx,
      actor,
      { action: 'client.update', entityType: 'client', entityId: id, before, after },
      now,
    );
    return toDto(after);
  });
}

/** Deactivates a client: kept for history, hidden from pickers, no new matters. */
export async function deactivateClient(
  ctx: AppContext,
  actor: Actor,
  id: number,
  version: number,
): Promise<ClientDto> {
  return updateClient(ctx, actor, id, { version, active: false });
}
