import { createHash } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { AppContext } from '../config/context.js';
import type { SecurityConfig } from '../config/security.js';
import { DEFAULT_SECURITY } from '../config/security.js';
import { registerAccessControl, SESSION_COOKIE } from './auth.js';
import { handleError } from './errors.js';
import { registerFieldRules } from './mask-responses.js';
import { API_MODULES } from './modules.js';
import { landingPage } from './landing-page.js';
import { isWebAppPage, registerWebApp, sendWebApp, WEB_ROOT } from './web-app.js';

export interface AppOptions {
  ctx: AppContext;
  logger?: boolean;
  /** Marks cookies Secure; on behind HTTPS in production. */
  secureCookies?: boolean;
  /** Session, sign-in, rate and size limits (defaults in config/security.ts). */
  security?: Partial<SecurityConfig>;
  /** The built web app to serve at `/`; defaults to the build output, null to serve none. */
  webRoot?: string | null;
}

/** The Content-Security-Policy every response carries; the web app is built to satisfy it. */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
};

/** Builds the HTTP app without listening, so tests drive it through `app.inject`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const security: SecurityConfig = {
    ...DEFAULT_SECURITY,
    ...(options.secureCookies === undefined ? {} : { secureCookies: options.secureCookies }),
    ...options.security,
  };
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: security.bodyLimitBytes,
    trustProxy: security.trustProxy,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  let webApp = false;
  app.setNotFoundHandler((request, reply) => {
    if (webApp && isWebAppPage(request)) return sendWebApp(reply);
    void reply.code(404).send({
      code: 'ROUTE_NOT_FOUND',
      message: `No route ${request.method} ${request.url}.`,
      details: null,
    });
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // HSTS only where the server is reached over HTTPS; over plain HTTP it would lock users out.
    hsts: security.secureCookies ? { maxAge: 180 * 24 * 60 * 60, includeSubDomains: true } : false,
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Matterflow API',
        version: '1',
        description:
          'Billing workflow for law firms. Authenticate with a session cookie (POST /api/v1/auth/sign-in) or an API token (Authorization: Bearer …).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'matterflow_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  registerAccessControl(app, options.ctx, security);
  registerFieldRules(app, options.ctx);
  await registerRateLimit(app, security);

  await app.register(
    async (api) => {
      for (const register of API_MODULES)
        await register(api, { ctx: options.ctx, secureCookies: security.secureCookies, security });
    },
    { prefix: '/api/v1' },
  );

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  webApp = await registerWebApp(app, options.webRoot === undefined ? WEB_ROOT : options.webRoot);
  if (!webApp)
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(landingPage()),
    );
  return app;
}

/**
 * Limits API requests per minute. Runs after the access hook, so a signed-in caller is counted
 * by its session or token (a bulk client with one token gets the per-credential limit) and
 * everyone else, sign-in included, by IP address.
 */
async function registerRateLimit(app: FastifyInstance, security: SecurityConfig): Promise<void> {
  const { rateLimitPerMinute: perCredential, rateLimitAnonymousPerMinute: anonymous } = security;
  if (perCredential === null && anonymous === null) return;
  await app.register(fastifyRateLimit, {
    global: true,
    timeWindow: 60_000,
    allowList: (request) => !request.routeOptions.url?.startsWith('/api/v1'),
    keyGenerator: (request) => credentialKey(request),
    max: (_request, key) =>
      (key.startsWith('ip:') ? anonymous : perCredential) ?? Number.MAX_SAFE_INTEGER,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: `Too many requests; try again in ${context.after}.`,
    }),
  });
}

function credentialKey(request: FastifyRequest): string {
  if (!request.actor) return `ip:${request.ip}`;
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer '))
    return `token:${createHash('sha256').update(authorization).digest('base64url')}`;
  return `session:${createHash('sha256')
    .update(request.cookies[SESSION_COOKIE] ?? '')
    .digest('base64url')}`;
}
