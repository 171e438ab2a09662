import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import { idParamsSchema, versionBodySchema } from '../../http/fields.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  timekeeperCreateSchema,
  timekeeperListQuerySchema,
  timekeeperPageSchema,
  timekeeperSchema,
  timekeeperUpdateSchema,
} from './timekeepers.schemas.js';
import * as service from './timekeepers.service.js';

const tags = ['timekeepers'];

export const timekeeperRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/timekeepers', {
    config: { policy: { action: 'read', resource: 'timekeeper' } },
    schema: {
      tags,
      summary: 'List timekeepers',
      querystring: timekeeperListQuerySchema,
      response: { 200: timekeeperPageSchema, ...errorResponses },
    },
    handler: (request) => service.listTimekeepers(ctx, actorOf(request), request.query),
  });

  r.get('/timekeepers/:id', {
    config: { policy: { action: 'read', resource: 'timekeeper' } },
    schema: {
      tags,
      summary: 'Get a timekeeper',
      params: idParamsSchema,
      response: { 200: timekeeperSchema, ...errorResponses },
    },
    handler: (request) => service.getTimekeeper(ctx, actorOf(request), request.params.id),
  });

  r.post('/timekeepers', {
    config: { policy: { action: 'create', resource: 'timekeeper' } },
    schema: {
      tags,
      summary: 'Create a timekeeper',
      body: timekeeperCreateSchema,
      response: { 201: timekeeperSchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await service.createTimekeeper(ctx, actorOf(request), request.body)),
  });

  r.patch('/timekeepers/:id', {
    config: { policy: { action: 'update', resource: 'timekeeper' } },
    schema: {
      tags,
      summary: 'Update a timekeeper (send the version you read)',
      params: idParamsSchema,
      body: timekeeperUpdateSchema,
      response: { 200: timekeeperSchema, ...errorResponses },
    },
    handler: (request) =>
      service.updateTimekeeper(ctx, actorOf(request), request.params.id, request.body),
  });

  r.post('/timekeepers/:id/deactivate', {
    config: { policy: { action: 'deactivate', resource: 'timekeeper' } },
    schema: {
      tags,
      summary: 'Deactivate a timekeeper',
      params: idParamsSchema,
      body: versionBodySchema,
      response: { 200: timekeeperSchema, ...errorResponses },
    },
    handler: (request) =>
      service.deactivateTimekeeper(ctx, actorOf(request), request.params.id, request.body.version),
  });
};
