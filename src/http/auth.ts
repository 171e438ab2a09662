import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../config/context.js';
import type { SecurityConfig } from '../config/security.js';
import { AppError } from '../domain/errors.js';
import type { Action, Actor, Resource } from '../domain/policy.js';
import { isAllowed } from '../domain/policy.js';
import type { TokenScope } from '../modules/auth/auth.service.js';
import {
  authenticateSession,
  authenticateToken,
  csrfTokenMatches,
} from '../modules/auth/auth.service.js';

export const SESSION_COOKIE = 'matterflow_session';
/** The header a cookie-authenticated request that changes something must carry. */
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a route declares about access; every /api/v1 route must declare one or be public. */
export interface RoutePolicy {
  action: Action;
  resource: Resource;
  /** The API-token scope needed; by default derived from the action (see `requiredScope`). */
  scope?: TokenScope;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Open to unauthenticated callers (sign-in only). */
    public?: boolean;
    /** Authenticated but not tied to one resource (sign-out, "me", own API tokens). */
    authenticatedOnly?: boolean;
    policy?: RoutePolicy;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const UNAUTHENTICATED = new AppError(
  'unauthenticated',
  'UNAUTHENTICATED',
  'Sign in or send an API token.',
);

/**
 * The API-token scope a route needs: what it declares, else by its action — importing needs
 * `import`, exporting `export`, reading `read`, managing users or tokens `admin`, and every other
 * change `write`. A token with `admin` may do everything its owner's roles allow.
 */
export function requiredScope(policy: RoutePolicy): TokenScope {
  if (policy.scope) return policy.scope;
  if (policy.action === 'import') return 'import';
  if (policy.action === 'export') return 'export';
  if (policy.action === 'read') return 'read';
  if (policy.resource === 'user' || policy.resource === 'api_token') return 'admin';
  return 'write';
}

/** What one API route declared about access, as registered. */
export interface DeclaredRoute {
  method: string;
  /** The route's path as Fastify spells it (`/api/v1/matters/:id`). */
  url: string;
  public: boolean;
  authenticatedOnly: boolean;
  policy: RoutePolicy | null;
}

const declaredRoutes = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/** Every /api/v1 route of an app with its declared access (HEAD twins of GET routes left out). */
export function declaredRoutesOf(app: FastifyInstance): readonly DeclaredRoute[] {
  return declaredRoutes.get(app) ?? [];
}

/** The signed-in actor of a request that passed the access hook. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw UNAUTHENTICATED;
  return request.actor;
}

/**
 * Registers authentication and the policy check for every API route: a route without a
 * declared policy (and not explicitly public) fails at start-up, so none is open by accident.
 */
export function registerAccessControl(
  app: FastifyInstance,
  ctx: AppContext,
  security: SecurityConfig,
): void {
  app.decorateRequest('actor', null);

  const declared: DeclaredRoute[] = [];
  declaredRoutes.set(app, declared);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const config = route.config;
    if (!config?.public && !config?.authenticatedOnly && !config?.policy) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access policy`);
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      declared.push({
        method,
        url: route.url,
        public: config.public ?? false,
        authenticatedOnly: config.authenticatedOnly ?? false,
        policy: config.policy ?? null,
      });
    }
  });

  // onRequest, before the body is parsed and validated: an anonymous caller learns nothing
  // about a route's schema, and nobody's input is processed before we know who sent it.
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    // Decided by the matched route, not the raw URL, so no spelling of a path skips the check.
    if (!request.routeOptions.url?.startsWith('/api/v1') || config.public) return;
    const authorization = request.headers.authorization;
    let scopes: TokenScope[] | null = null;
    if (authorization?.startsWith('Bearer ')) {
      const result = await authenticateToken(ctx, authorization.slice('Bearer '.length).trim());
      if (!result) throw UNAUTHENTICATED;
      request.actor = result.actor;
      scopes = result.scopes;
    } else {
      const token = request.cookies[SESSION_COOKIE];
      const actor = token ? await authenticateSession(ctx, security, token) : null;
      if (!token || !actor) throw UNAUTHENTICATED;
      request.actor = actor;
      // A browser attaches the cookie to cross-site requests too; only our own pages can read
      // the session's CSRF token (from sign-in or /auth/me) and echo it in a header.
      const sent = request.headers[CSRF_HEADER];
      if (
        !SAFE_METHODS.has(request.method) &&
        !csrfTokenMatches(token, typeof sent === 'string' ? sent : undefined)
      ) {
        throw new AppError(
          'forbidden',
          'csrf_token_invalid',
          `Send the session's CSRF token in the X-CSRF-Token header (from sign-in or GET /api/v1/auth/me).`,
        );
      }
    }
    const policy = config.policy;
    if (!policy) return;
    if (!isAllowed(request.actor, policy.action, policy.resource)) {
      throw new AppError(
        'forbidden',
        'FORBIDDEN',
        `Your role may not ${policy.action} ${policy.resource.replace('_', ' ')}s.`,
      );
    }
    if (scopes) {
      const needed = requiredScope(policy);
      if (!scopes.includes(needed) && !scopes.includes('admin')) {
        throw new AppError(
          'forbidden',
          'TOKEN_SCOPE_MISSING',
          `This API token lacks the "${needed}" scope.`,
        );
      }
    }
  });
}
