import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import { idParamsSchema, versionBodySchema } from '../../http/fields.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  rateCreateSchema,
  rateListQuerySchema,
  ratePageSchema,
  rateSchema,
  rateUpdateSchema,
  rateLookupQuerySchema,
  rateLookupSchema,
} from './rates.schemas.js';
import * as service from './rates.service.js';

const tags = ['rates'];

export const rateRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/rates', {
    config: { policy: { action: 'read', resource: 'rate' } },
    schema: {
      tags,
      summary: 'List the rates you may see',
      querystring: rateListQuerySchema,
      response: { 200: ratePageSchema, ...errorResponses },
    },
    handler: (request) => service.listRates(ctx, actorOf(request), request.query),
  });

  r.get('/rates/:id', {
    config: { policy: { action: 'read', resource: 'rate' } },
    schema: {
      tags,
      summary: 'Get a rate',
      params: idParamsSchema,
      response: { 200: rateSchema, ...errorResponses },
    },
    handler: (request) => service.getRate(ctx, actorOf(request), request.params.id),
  });

  r.post('/rates', {
    config: { policy: { action: 'create', resource: 'rate' } },
    schema: {
      tags,
      summary: 'Add a default, client or matter rate for a timekeeper',
      body: rateCreateSchema,
      response: { 201: rateSchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await service.createRate(ctx, actorOf(request), request.body)),
  });

  r.patch('/rates/:id', {
    config: { policy: { action: 'update', resource: 'rate' } },
    schema: {
      tags,
      summary: 'Change a rate (send the version you read)',
      params: idParamsSchema,
      body: rateUpdateSchema,
      response: { 200: rateSchema, ...errorResponses },
    },
    handler: (request) =>
      service.updateRate(ctx, actorOf(request), request.params.id, request.body),
  });

  r.post('/rates/:id/deactivate', {
    config: { policy: { action: 'deactivate', resource: 'rate' } },
    schema: {
      tags,
      summary: 'Deactivate a rate',
      params: idParamsSchema,
      body: versionBodySchema,
      response: { 200: rateSchema, ...errorResponses },
    },
    handler: (request) =>
      service.deactivateRate(ctx, actorOf(request), request.params.id, request.body.version),
  });

  r.get('/rates/lookup', {
    config: { policy: { action: 'read', resource: 'rate' } },
    schema: {
      tags,
      summary: "The rate that applies to a timekeeper's work on a matter on a date",
      querystring: rateLookupQuerySchema,
      response: { 200: rateLookupSchema, ...errorResponses },
    },
    handler: (request) => service.lookupRate(ctx, actorOf(request), request.query),
  });
};
