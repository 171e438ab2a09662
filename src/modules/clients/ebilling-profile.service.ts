/**
 * The client's e-billing profile (format, portal, portal ids, classification codes, tax, billing
 * address) and the firm's own name and address: what a LEDES file says about who bills whom.
 * Clients are firm-wide reference data (no matter wall applies); who may change a profile is the
 * policy's `ebilling_profile` and `firm_profile` grants. Each change is written with its audit
 * event in one transaction, against the version the caller read.
 */
import type { AppContext } from '../../config/context.js';
import { updateVersioned } from '../../db/versioned.js';
import { AppError, notFound } from '../../domain/errors.js';
import { isAllowed, type Actor, type Resource } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as repo from './clients.repository.js';
import type {
  EbillingProfileDto,
  EbillingProfileUpdate,
  FirmProfileDto,
  FirmProfileUpdate,
} from './ebilling-profile.schemas.js';

type ProfileRow = NonNullable<Awaited<ReturnType<typeof repo.findEbillingProfile>>>;
type FirmRow = Awaited<ReturnType<typeof repo.findFirmProfile>>;

function toDto(row: ProfileRow): EbillingProfileDto {
  const { id, ...rest } = row;
  return {
    client_id: id,
    ...rest,
    ebilling_format: row.ebilling_format as EbillingProfileDto['ebilling_format'],
    ledes_classification_codes:
      row.ledes_classification_codes as EbillingProfileDto['ledes_classification_codes'],
    ledes_classification_map: (row.ledes_classification_map ?? null) as Record<
      string,
      string
    > | null,
  };
}

function firmDto(row: FirmRow): FirmProfileDto {
  const { id: _id, ...rest } = row;
  return rest;
}

/** The policy check for callers that do not pass the HTTP access hook (the CLI acting as a user). */
function assertMayUpdate(actor: Actor, resource: Resource): void {
  if (!isAllowed(actor, 'update', resource))
    throw new AppError(
      'forbidden',
      'FORBIDDEN',
      `Your roles may not change the ${resource.replace('_', ' ')}.`,
    );
}

/** Empty strings clear a value: stored as null. */
function cleared<T extends Record<string, unknown>>(changes: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes))
    if (value !== undefined) out[key] = value === '' ? null : value;
  return out as T;
}

async function loadProfile(ctx: AppContext, key: { id?: number; code?: string }) {
  const row = await repo.findEbillingProfile(ctx.db, key);
  if (!row) throw notFound('CLIENT_NOT_FOUND', `No client ${key.code ?? key.id}.`);
  return row;
}

/** One client's e-billing profile, by id or client code. */
export async function getEbillingProfile(
  ctx: AppContext,
  _actor: Actor,
  key: { id?: number; code?: string },
): Promise<EbillingProfileDto> {
  return toDto(await loadProfile(ctx, key));
}

/** Changes the fields given if `version` is still the client's (409 STALE_VERSION otherwise). */
export async function updateEbillingProfile(
  ctx: AppContext,
  actor: Actor,
  key: { id?: number; code?: string },
  input: EbillingProfileUpdate,
): Promise<EbillingProfileDto> {
  assertMayUpdate(actor, 'ebilling_profile');
  const now = ctx.now();
  const { id } = await loadProfile(ctx, key);
  const { version, ledes_classification_map, ...rest } = input;
  const changes = {
    ...cleared(rest),
    ...(ledes_classification_map === undefined
      ? {}
      : {
          ledes_classification_map:
            ledes_classification_map === null || Object.keys(ledes_classification_map).length === 0
              ? null
              : JSON.stringify(ledes_classification_map),
        }),
  };
  return ctx.db.transaction().execute(async (trx) => {
    const before = (await repo.findEbillingProfile(trx, { id }))!;
    await updateVersioned(trx, 'client', id, version, changes, 'CLIENT_NOT_FOUND', now);
    const after = (await repo.findEbillingProfile(trx, { id }))!;
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'client.ebilling_profile',
        entityType: 'client',
        entityId: id,
        before: { ...toDto(before), updated_at: undefined },
        after: { ...toDto(after), updated_at: undefined },
      },
      now,
    );
    return toDto(after);
  });
}

/** The firm's name and address as 98BI files carry them. */
export async function getFirmProfile(ctx: AppContext, _actor: Actor): Promise<FirmProfileDto> {
  return firmDto(await repo.findFirmProfile(ctx.db));
}

/** Changes the firm's name or address against the version read. */
export async function updateFirmProfile(
  ctx: AppContext,
  actor: Actor,
  input: FirmProfileUpdate,
): Promise<FirmProfileDto> {
  assertMayUpdate(actor, 'firm_profile');
  const now = ctx.now();
  const { version, ...rest } = input;
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findFirmProfile(trx);
    await updateVersioned(
      trx,
      'firm_profile',
      1,
      version,
      cleared(rest),
      'FIRM_PROFILE_NOT_FOUND',
      now,
    );
    const after = await repo.findFirmProfile(trx);
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'firm.profile',
        entityType: 'firm_profile',
        entityId: 1,
        before: { ...firmDto(before), updated_at: undefined },
        after: { ...firmDto(after), updated_at: undefined },
      },
      now,
    );
    return firmDto(after);
  });
}
