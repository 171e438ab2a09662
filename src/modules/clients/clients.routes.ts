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
import {
  ebillingProfileSchema,
  ebillingProfileUpdateSchema,
  firmProfileSchema,
  firmProfileUpdateSchema,
} from './ebilling-profile.schemas.js';
import * as profiles from './ebilling-profile.service.js';

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

  r.get('/clients/:id/ebilling-profile', {
    config: { policy: { action: 'read', resource: 'ebilling_profile' } },
    schema: {
      tags,
      summary: "Get a client's e-billing profile",
      params: idParamsSchema,
      response: { 200: ebillingProfileSchema, ...errorResponses },
    },
    handler: (request) =>
      profiles.getEbillingProfile(ctx, actorOf(request), { id: request.params.id }),
  });

  r.patch('/clients/:id/ebilling-profile', {
    config: { policy: { action: 'update', resource: 'ebilling_profile' } },
    schema: {
      tags,
      summary: "Change a client's e-billing profile (send the client's version you read)",
      params: idParamsSchema,
      body: ebillingProfileUpdateSchema,
      response: { 200: ebillingProfileSchema, ...errorResponses },
    },
    handler: (request) =>
      profiles.updateEbillingProfile(
        ctx,
        actorOf(request),
        { id: request.params.id },
        request.body,
      ),
  });

  r.get('/firm/profile', {
    config: { policy: { action: 'read', resource: 'firm_profile' } },
    schema: {
      tags: ['firm'],
      summary: "The firm's name and address (written into 98BI files)",
      response: { 200: firmProfileSchema, ...errorResponses },
    },
    handler: (request) => profiles.getFirmProfile(ctx, actorOf(request)),
  });

  r.patch('/firm/profile', {
    config: { policy: { action: 'update', resource: 'firm_profile' } },
    schema: {
      tags: ['firm'],
      summary: "Change the firm's name or address (send the version you read)",
      body: firmProfileUpdateSchema,
      response: { 200: firmProfileSchema, ...errorResponses },
    },
    handler: (request) => profiles.updateFirmProfile(ctx, actorOf(request), request.body),
  });
};
