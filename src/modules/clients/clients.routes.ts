import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  clientCreateSchema,
  clientListQuerySchema,
  clientPageSchema,
  clientSchema,
  clientUpdateSchema,
  idParamsSchema,
  versionBodySchema,
} from './clients.schemas.js';
import * as service from './clients.service.js';

const tags = ['clients'];

export const clientRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/clients', {
    config: { policy: { action: 'read', resource: 'client' } },
    schema: {
      tags,
      summary: 'List clients',
      querystring: clientListQuerySchema,
      response: { 200: clientPageSchema, ...errorResponses },
    },
    handler: (request) => service.listClients(ctx, actorOf(request), request.query),
  });

  r.get('/clients/:id', {
    config: { policy: { action: 'read', resource: 'client' } },
    schema: {
      tags,
      summary: 'Get a client',
      params: idParamsSchema,
      response: { 200: clientSchema, ...errorResponses },
    },
    handler: (request) => service.getClient(ctx, actorOf(request), request.params.id),
  });

  r.post('/clients', {
    config: { policy: { action: 'create', resource: 'client' } },
    schema: {
      tags,
      summary: 'Create a client',
      body: clientCreateSchema,
      response: { 201: clientSchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await service.createClient(ctx, actorOf(request), request.body)),
  });

  r.patch('/clients/:id', {
    config: { policy: { action: 'update', resource: 'client' } },
    schema: {
      tags,
      summary: 'Update a client (send the version you read)',
      params: idParamsSchema,
      body: clientUpdateSchema,
      response: { 200: clientSchema, ...errorResponses },
    },
    handler: (request) =>
      service.updateClient(ctx, actorOf(request), request.params.id, request.body),
  });

  r.post('/clients/:id/deactivate', {
    config: { policy: { action: 'deactivate', resource: 'client' } },
    schema: {
      tags,
      summary: 'Deactivate a client',
      params: idParamsSchema,
      body: versionBodySchema,
      response: { 200: clientSchema, ...errorResponses },
    },
    handler: (request) =>
      service.deactivateClient(ctx, actorOf(request), request.params.id, request.body.version),
  });
};
