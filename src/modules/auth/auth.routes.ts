import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, SESSION_COOKIE } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  apiTokenCreatedSchema,
  apiTokenCreateSchema,
  apiTokenSchema,
  meSchema,
  signInSchema,
  tokenIdParamsSchema,
} from './auth.schemas.js';
import * as service from './auth.service.js';

const tags = ['auth'];

function meOf(actor: ReturnType<typeof actorOf>) {
  return {
    user_id: Number(actor.userId),
    email: actor.email,
    roles: [...actor.roles],
    timekeeper_id: actor.timekeeperId === null ? null : Number(actor.timekeeperId),
  };
}

export const authRoutes: RegisterRoutes = async (api, { ctx, security }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.post('/auth/sign-in', {
    config: { public: true },
    schema: {
      tags,
      summary: 'Sign in with email and password; sets an HttpOnly session cookie',
      body: signInSchema,
      response: { 200: meSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { token, actor } = await service.signIn(ctx, security, {
        email: request.body.email,
        password: request.body.password,
        ip: request.ip,
        previousToken: request.cookies[SESSION_COOKIE],
      });
      void reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: security.secureCookies,
        path: '/',
        maxAge: Math.floor(security.sessionAbsoluteMs / 1000),
      });
      return { ...meOf(actor), csrf_token: service.csrfTokenFor(token) };
    },
  });

  r.post('/auth/sign-out', {
    config: { authenticatedOnly: true },
    schema: {
      tags,
      summary: 'End the current session',
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await service.signOut(ctx, token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  });

  r.get('/auth/me', {
    config: { authenticatedOnly: true },
    schema: { tags, summary: 'Who am I', response: { 200: meSchema, ...errorResponses } },
    handler: async (request) => {
      const actor = actorOf(request);
      const token = request.cookies[SESSION_COOKIE];
      return actor.via === 'session' && token
        ? { ...meOf(actor), csrf_token: service.csrfTokenFor(token) }
        : meOf(actor);
    },
  });

  r.get('/api-tokens', {
    config: { policy: { action: 'read', resource: 'api_token' } },
    schema: {
      tags,
      summary: 'List my API tokens',
      response: { 200: z.object({ items: z.array(apiTokenSchema) }), ...errorResponses },
    },
    handler: async (request) => ({
      items: (await service.listApiTokens(ctx, actorOf(request))) as unknown as z.infer<
        typeof apiTokenSchema
      >[],
    }),
  });

  r.post('/api-tokens', {
    config: { policy: { action: 'create', resource: 'api_token', scope: 'admin' } },
    schema: {
      tags,
      summary: 'Create an API token (the secret is returned once)',
      body: apiTokenCreateSchema,
      response: { 201: apiTokenCreatedSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const created = await service.createApiToken(ctx, actorOf(request), {
        name: request.body.name,
        scopes: request.body.scopes,
        expiresAt: request.body.expires_at,
      });
      return reply.code(201).send(created as unknown as z.infer<typeof apiTokenCreatedSchema>);
    },
  });

  r.post('/api-tokens/:id/revoke', {
    config: { policy: { action: 'deactivate', resource: 'api_token' } },
    schema: {
      tags,
      summary: 'Revoke one of my API tokens',
      params: tokenIdParamsSchema,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await service.revokeApiToken(ctx, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  });
};
