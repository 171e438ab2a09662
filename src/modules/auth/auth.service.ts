import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../config/context.js';
import type { SecurityConfig } from '../../config/security.js';
import { AppError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import type { Role } from '../../domain/roles.js';
import { lockedUntil } from '../../domain/sign-in-lockout.js';
import { isRole } from '../../domain/roles.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as repo from './auth.repository.js';
import { hashPassword, verifyPassword } from './password.js';

/** Sessions slide forward with use (idle timeout), up to an absolute lifetime from sign-in. */
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

/** The actor of audit events about sign-in attempts nobody is signed in for yet. */
const ANONYMOUS: Actor = {
  userId: '0',
  email: 'anonymous',
  roles: [],
  timekeeperId: null,
  via: 'system',
};

/** One sign-in attempt as the HTTP layer sees it. */
export interface SignInAttempt {
  email: string;
  password: string;
  /** The caller's IP address, for the per-IP lockout. */
  ip: string;
  /** The session cookie the browser still sent, if any: it is ended, never reused. */
  previousToken?: string | undefined;
}

/**
 * Checks email and password; on success opens a new session and returns its token (for the
 * cookie). Repeated failures lock the email address and the IP address for a while; every
 * failure and every lockout is in the audit trail.
 */
export async function signIn(
  ctx: AppContext,
  security: SecurityConfig,
  attempt: SignInAttempt,
): Promise<{ token: string; actor: Actor; name: string }> {
  const email = attempt.email.trim().toLowerCase();
  const keys = { email: `email:${email}`, ip: `ip:${attempt.ip}` };
  const now = ctx.now();
  const locked = await lockoutEnd(ctx, security, keys, now);
  if (locked) {
    const minutes = Math.ceil((locked.getTime() - now.getTime()) / 60_000);
    throw new AppError(
      'rate_limited',
      'SIGN_IN_LOCKED',
      `Too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      { retry_after_seconds: Math.ceil((locked.getTime() - now.getTime()) / 1000) },
    );
  }
  const user = await repo.findUserByEmail(ctx.db, email);
  // Hash even when there is nothing to compare against, so response time does not reveal
  // which email addresses have accounts.
  const ok = await verifyPassword(attempt.password, user?.password_hash ?? (await decoyHash()));
  if (!user?.password_hash || !ok || !user.active) {
    await recordFailure(ctx, security, keys, { email, ip: attempt.ip, userId: user?.id ?? null });
    throw INVALID_CREDENTIALS;
  }
  const token = randomBytes(32).toString('base64url');
  const actor = toActor(user, 'session');
  await ctx.db.transaction().execute(async (trx) => {
    if (attempt.previousToken) await repo.deleteSession(trx, sha256(attempt.previousToken));
    await repo.clearSignInFailures(trx, keys.email);
    await repo.insertSession(trx, {
      id: sha256(token),
      userId: user.id,
      now,
      expiresAt: new Date(
        now.getTime() + Math.min(security.sessionIdleMs, security.sessionAbsoluteMs),
      ),
    });
    await appendAuditEvent(
      trx,
      actor,
      { action: 'user.sign_in', entityType: 'user', entityId: user.id, after: { ip: attempt.ip } },
      now,
    );
  });
  return { token, actor, name: user.name };
}

function lockoutRules(security: SecurityConfig) {
  const rule = (maxFailures: number) => ({
    maxFailures,
    windowMs: security.loginWindowMs,
    lockoutMs: security.loginLockoutMs,
  });
  return {
    email: rule(security.loginMaxFailuresPerAccount),
    ip: rule(security.loginMaxFailuresPerIp),
  };
}

async function lockoutEnd(
  ctx: AppContext,
  security: SecurityConfig,
  keys: { email: string; ip: string },
  now: Date,
): Promise<Date | null> {
  const rules = lockoutRules(security);
  const since = new Date(now.getTime() - security.loginWindowMs - security.loginLockoutMs);
  const limit = 2 * Math.max(rules.email.maxFailures, rules.ip.maxFailures) + 10;
  const rows = await repo.recentSignInFailures(ctx.db, [keys.email, keys.ip], since, limit);
  const times = (key: string) => rows.filter((r) => r.key === key).map((r) => r.failed_at);
  const ends = [
    lockedUntil(times(keys.email), now, rules.email),
    lockedUntil(times(keys.ip), now, rules.ip),
  ].filter((end): end is Date => end !== null);
  return ends.length === 0 ? null : new Date(Math.max(...ends.map((end) => end.getTime())));
}

async function recordFailure(
  ctx: AppContext,
  security: SecurityConfig,
  keys: { email: string; ip: string },
  who: { email: string; ip: string; userId: number | null },
): Promise<void> {
  const now = ctx.now();
  const forgetBefore = new Date(now.getTime() - security.loginWindowMs - security.loginLockoutMs);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.recordSignInFailure(trx, [keys.email, keys.ip], now, forgetBefore);
    await appendAuditEvent(
      trx,
      ANONYMOUS,
      {
        action: 'user.sign_in_failed',
        entityType: 'user',
        entityId: who.userId,
        after: { email: who.email, ip: who.ip },
      },
      now,
    );
    const locked = await lockoutEnd({ ...ctx, db: trx }, security, keys, now);
    if (locked) {
      await appendAuditEvent(
        trx,
        ANONYMOUS,
        {
          action: 'user.sign_in_locked',
          entityType: 'user',
          entityId: who.userId,
          after: { email: who.email, ip: who.ip, locked_until: locked.toISOString() },
        },
        now,
      );
    }
  });
}

/** Ends the session behind a cookie token (no error when it is already gone). */
export async function signOut(ctx: AppContext, token: string): Promise<void> {
  await repo.deleteSession(ctx.db, sha256(token));
}

/**
 * Resolves a session cookie token to its actor, or null when missing, idle too long, past its
 * absolute lifetime, or its user is disabled. Expired sessions are deleted.
 */
export async function authenticateSession(
  ctx: AppContext,
  security: SecurityConfig,
  token: string,
): Promise<Actor | null> {
  const id = sha256(token);
  const row = await repo.findSessionUser(ctx.db, id);
  if (!row || !row.active) return null;
  const now = ctx.now().getTime();
  const absoluteEnd = row.created_at.getTime() + security.sessionAbsoluteMs;
  const idleEnd = Math.min(
    row.expires_at.getTime(),
    row.last_seen_at.getTime() + security.sessionIdleMs,
  );
  if (idleEnd <= now || absoluteEnd <= now) {
    await repo.deleteSession(ctx.db, id);
    return null;
  }
  if (now - row.last_seen_at.getTime() > Math.min(TOUCH_EVERY_MS, security.sessionIdleMs / 10)) {
    const expiresAt = new Date(Math.min(now + security.sessionIdleMs, absoluteEnd));
    await repo.touchSession(ctx.db, id, new Date(now), expiresAt);
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
