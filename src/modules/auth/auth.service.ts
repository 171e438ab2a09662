import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../config/context.js';
import { AppError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import type { Role } from '../../domain/roles.js';
import { isRole } from '../../domain/roles.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as repo from './auth.repository.js';
import { hashPassword, verifyPassword } from './password.js';

/** Sessions slide forward with use, up to an absolute lifetime from sign-in. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

export const TOKEN_SCOPES = ['read', 'write', 'import', 'export', 'submit', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function toActor(
  user: { id: number; email: string; roles: string[]; timekeeper_id: number | null },
  via: Actor['via'],
): Actor {
  return {
    userId: String(user.id),
    email: user.email,
    roles: user.roles.filter((role): role is Role => isRole(role)),
    timekeeperId: user.timekeeper_id === null ? null : String(user.timekeeper_id),
    via,
  };
}

let decoy: Promise<string> | null = null;
function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

const INVALID_CREDENTIALS = new AppError(
  'unauthenticated',
  'INVALID_CREDENTIALS',
  'The email or password is not correct.',
);

/**
 * The CSRF token of a session: derived from the session's secret cookie value, so it needs no
 * storage, changes with every sign-in, and cannot be computed from anything in the database
 * (which keeps only a differently prefixed hash of the cookie value).
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`matterflow-csrf\0${sessionToken}`).digest('base64url');
}

/** True when `sent` is the CSRF token of the session behind `sessionToken` (constant time). */
export function csrfTokenMatches(sessionToken: string, sent: string | undefined): boolean {
  if (sent === undefined) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const actual = Buffer.from(sent);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Checks email and password; on success opens a session and returns its token (for the cookie). */
export async function signIn(
  ctx: AppContext,
  email: string,
  password: string,
): Promise<{ token: string; actor: Actor; name: string }> {
  const user = await repo.findUserByEmail(ctx.db, email);
  // Hash even when there is nothing to compare against, so response time does not reveal
  // which email addresses have accounts.
  const ok = await verifyPassword(password, user?.password_hash ?? (await decoyHash()));
  if (!user?.password_hash || !ok || !user.active) throw INVALID_CREDENTIALS;
  const token = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const actor = toActor(user, 'session');
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertSession(trx, {
      id: sha256(token),
      userId: user.id,
      now,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
    });
    await appendAuditEvent(
      trx,
      actor,
      { action: 'user.sign_in', entityType: 'user', entityId: user.id },
      now,
    );
  });
  return { token, actor, name: user.name };
}

/** Ends the session behind a cookie token (no error when it is already gone). */
export async function signOut(ctx: AppContext, token: string): Promise<void> {
  await repo.deleteSession(ctx.db, sha256(token));
}

/** Resolves a session cookie token to its actor, or null when missing, expired or disabled. */
export async function authenticateSession(ctx: AppContext, token: string): Promise<Actor | null> {
  const id = sha256(token);
  const row = await repo.findSessionUser(ctx.db, id);
  if (!row || !row.active) return null;
  const now = ctx.now();
  const absoluteEnd = row.created_at.getTime() + SESSION_ABSOLUTE_MS;
  if (row.expires_at.getTime() <= now.getTime() || absoluteEnd <= now.getTime()) {
    await repo.deleteSession(ctx.db, id);
    return null;
  }
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    const expiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, absoluteEnd));
    await repo.touchSession(ctx.db, id, now, expiresAt);
  }
  return toActor(row, 'session');
}

/** Resolves a bearer API token to its actor and scopes, or null when unknown, expired or revoked. */
export async function authenticateToken(
  ctx: AppContext,
  token: string,
): Promise<{ actor: Actor; scopes: TokenScope[] } | null> {
  const row = await repo.findTokenUser(ctx.db, sha256(token));
  const now = ctx.now();
  if (!row || !row.active || row.revoked_at !== null) return null;
  if (row.expires_at !== null && row.expires_at.getTime() <= now.getTime()) return null;
  if (row.last_used_at === null || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
    await repo.markTokenUsed(ctx.db, row.token_id, now);
  }
  return { actor: toActor(row, 'token'), scopes: row.scopes as TokenScope[] };
}

/** Creates an API token for the actor. The secret is returned once and stored only as a hash. */
export async function createApiToken(
  ctx: AppContext,
  actor: Actor,
  input: { name: string; scopes: TokenScope[]; expiresAt: Date | null },
) {
  const secret = `mf_${randomBytes(24).toString('base64url')}`;
  const now = ctx.now();
  if (input.expiresAt !== null && input.expiresAt.getTime() <= now.getTime()) {
    throw new AppError('validation', 'TOKEN_EXPIRY_IN_PAST', 'expires_at must be in the future.', {
      issues: [{ field: 'expires_at', message: 'must be in the future' }],
    });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.insertApiToken(trx, {
      userId: Number(actor.userId),
      name: input.name,
      hash: sha256(secret),
      prefix: secret.slice(0, 10),
      scopes: input.scopes,
      expiresAt: input.expiresAt,
    });
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'api_token.create',
        entityType: 'api_token',
        entityId: row.id,
        after: { name: row.name, scopes: row.scopes },
      },
      now,
    );
    return { ...row, token: secret };
  });
}

/** Lists the actor's own API tokens (never the secrets). */
export function listApiTokens(ctx: AppContext, actor: Actor) {
  return repo.listApiTokens(ctx.db, Number(actor.userId));
}

/** Revokes one of the actor's API tokens. */
export async function revokeApiToken(
  ctx: AppContext,
  actor: Actor,
  tokenId: number,
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const revoked = await repo.revokeApiToken(trx, Number(actor.userId), tokenId, now);
    if (!revoked)
      throw new AppError('not_found', 'API_TOKEN_NOT_FOUND', `No active API token ${tokenId}.`);
    await appendAuditEvent(
      trx,
      actor,
      { action: 'api_token.revoke', entityType: 'api_token', entityId: tokenId },
      now,
    );
  });
}
