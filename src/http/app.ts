import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { AppContext } from '../config/context.js';
import { registerAccessControl } from './auth.js';
import { handleError } from './errors.js';
import { API_MODULES } from './modules.js';
import { landingPage } from './landing-page.js';

export interface AppOptions {
  ctx: AppContext;
  logger?: boolean;
  /** Marks cookies Secure; on behind HTTPS in production. */
  secureCookies?: boolean;
}

/** Builds the HTTP app without listening, so tests drive it through `app.inject`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 10 * 1024 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      code: 'ROUTE_NOT_FOUND',
      message: `No route ${request.method} ${request.url}.`,
      details: null,
    });
  });

  await app.register(fastifyCookie);
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
  registerAccessControl(app, options.ctx);

  await app.register(
    async (api) => {
      for (const register of API_MODULES)
        await register(api, { ctx: options.ctx, secureCookies: options.secureCookies ?? false });
    },
    { prefix: '/api/v1' },
  );

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(landingPage()),
  );
  return app;
}
