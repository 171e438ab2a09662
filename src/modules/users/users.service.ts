import type { Kysely, Updateable } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { AppUserTable, DB } from '../../db/schema.js';
import { updateVersioned } from '../../db/versioned.js';
import type { FieldIssue } from '../../domain/errors.js';
import { conflict, notFound, validationError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import type { Role } from '../../domain/roles.js';
import { isRole } from '../../domain/roles.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { hashPassword, passwordProblem } from '../auth/password.js';
import * as refs from '../shared/references.repository.js';
import * as repo from './users.repository.js';
import type { UserRow } from './users.repository.js';
import type { UserCreate, UserDto, UserListQuery, UserUpdate } from './users.schemas.js';

function toDto(row: UserRow): UserDto {
  return {
    ...row,
    roles: row.roles.filter((role): role is Role => isRole(role)),
    has_password: Boolean(row.has_password),
  };
}

const userNotFound = (id: number) => notFound('USER_NOT_FOUND', `No user ${id}.`);

async function timekeeperIdFor(
  db: Kysely<DB>,
  code: string | null | undefined,
  issues: FieldIssue[],
): Promise<number | null | undefined> {
  if (code === undefined || code === null) return code;
  const timekeeper = await refs.findTimekeeperByCode(db, code);
  if (!timekeeper) issues.push({ field: 'timekeeper_code', message: `no timekeeper ${code}` });
  return timekeeper?.id;
}

function checkPassword(password: string, issues: FieldIssue[]): void {
  const problem = passwordProblem(password);
  if (problem) issues.push({ field: 'password', message: problem });
}

const invalidUser = (issues: FieldIssue[]) =>
  validationError('USER_INVALID', 'The user is not valid.', issues);

/** Lists users a page at a time. */
export async function listUsers(ctx: AppContext, _actor: Actor, query: UserListQuery) {
  const rows = await repo.listUsers(ctx.db, query, decodeCursor(query.cursor));
  const page = toPage(rows, query.limit);
  return { items: page.items.map(toDto), next_cursor: page.next_cursor };
}

/** Loads one user or fails with USER_NOT_FOUND. */
export async function getUser(ctx: AppContext, _actor: Actor, id: number): Promise<UserDto> {
  const row = await repo.findUserById(ctx.db, id);
  if (!row) throw userNotFound(id);
  return toDto(row);
}

/** Creates a user, optionally with a password and a linked timekeeper. */
export async function createUser(
  ctx: AppContext,
  actor: Actor,
  input: UserCreate,
): Promise<UserDto> {
  const now = ctx.now();
  const issues: FieldIssue[] = [];
  if (input.password !== undefined) checkPassword(input.password, issues);
  // Hashing costs tens of milliseconds; skip it when the request fails anyway.
  const passwordHash =
    input.password === undefined || issues.length > 0 ? null : await hashPassword(input.password);
  return ctx.db.transaction().execute(async (trx) => {
    const timekeeperId = await timekeeperIdFor(trx, input.timekeeper_code, issues);
    if (issues.length > 0) throw invalidUser(issues);
    const id = await repo.insertUser(trx, {
      email: input.email,
      name: input.name,
      roles: [...new Set(input.roles)],
      timekeeper_id: timekeeperId ?? null,
      password_hash: passwordHash,
    });
    const row = (await repo.findUserById(trx, id))!;
    await appendAuditEvent(
      trx,
      actor,
      { action: 'user.create', entityType: 'user', entityId: id, after: row },
      now,
    );
    return toDto(row);
  });
}

/** Changes a user if `version` is still current; admins may not lock themselves out. */
export async function updateUser(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: UserUpdate,
): Promise<UserDto> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findUserById(trx, id);
    if (!before) throw userNotFound(id);
    const { version, timekeeper_code, roles, ...plain } = input;
    const self = String(id) === actor.userId;
    if (self && (input.active === false || (roles && !roles.includes('admin'))))
      throw conflict(
        'CANNOT_LOCK_OUT_SELF',
        'You may not deactivate yourself or remove your own admin role; ask another admin.',
      );
    const issues: FieldIssue[] = [];
    const timekeeperId = await timekeeperIdFor(trx, timekeeper_code, issues);
    if (issues.length > 0) throw invalidUser(issues);
    const changes: Updateable<AppUserTable> = { ...plain };
    if (roles) changes.roles = [...new Set(roles)];
    if (timekeeperId !== undefined) changes.timekeeper_id = timekeeperId;
    await updateVersioned(trx, 'app_user', id, version, changes, 'USER_NOT_FOUND', now);
    const after = (await repo.findUserById(trx, id))!;
    await appendAuditEvent(
      trx,
      actor,
      { action: 'user.update', entityType: 'user', entityId: id, before, after },
      now,
    );
    return toDto(after);
  });
}

/** Deactivates a user: they can no longer sign in or use their API tokens. */
export async function deactivateUser(
  ctx: AppContext,
  actor: Actor,
  id: number,
  version: number,
): Promise<UserDto> {
  return updateUser(ctx, actor, id, { version, active: false });
}

/** Sets a user's password and ends their sessions. */
export async function setPassword(
  ctx: AppContext,
  actor: Actor,
  id: number,
  password: string,
): Promise<UserDto> {
  const issues: FieldIssue[] = [];
  checkPassword(password, issues);
  if (issues.length > 0) throw invalidUser(issues);
  const hash = await hashPassword(password);
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.findUserById(trx, id))) throw userNotFound(id);
    await repo.setPasswordHash(trx, id, hash, now);
    await repo.deleteSessions(trx, id);
    // The audit trail records that the password changed, never the hash.
    await appendAuditEvent(
      trx,
      actor,
      { action: 'user.set_password', entityType: 'user', entityId: id },
      now,
    );
    return toDto((await repo.findUserById(trx, id))!);
  });
}
