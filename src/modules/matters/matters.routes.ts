import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth.js';
import { idParamsSchema, versionBodySchema } from '../../http/fields.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  matterCreateSchema,
  matterListQuerySchema,
  matterPageSchema,
  matterSchema,
  matterUpdateSchema,
  memberListSchema,
  memberParamsSchema,
  memberSchema,
} from './matters.schemas.js';
import * as service from './matters.service.js';

const tags = ['matters'];

export const matterRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/matters', {
    config: { policy: { action: 'read', resource: 'matter' } },
    schema: {
      tags,
      summary: 'List the matters you may see',
      querystring: matterListQuerySchema,
      response: { 200: matterPageSchema, ...errorResponses },
    },
    handler: (request) => service.listMatters(ctx, actorOf(request), request.query),
  });

  r.get('/matters/:id', {
    config: { policy: { action: 'read', resource: 'matter' } },
    schema: {
      tags,
      summary: 'Get a matter',
      params: idParamsSchema,
      response: { 200: matterSchema, ...errorResponses },
    },
    handler: (request) => service.getMatter(ctx, actorOf(request), request.params.id),
  });

  r.post('/matters', {
    config: { policy: { action: 'create', resource: 'matter' } },
    schema: {
      tags,
      summary: 'Create a matter',
      body: matterCreateSchema,
      response: { 201: matterSchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await service.createMatter(ctx, actorOf(request), request.body)),
  });

  r.patch('/matters/:id', {
    config: { policy: { action: 'update', resource: 'matter' } },
    schema: {
      tags,
      summary: 'Update a matter (send the version you read)',
      params: idParamsSchema,
      body: matterUpdateSchema,
      response: { 200: matterSchema, ...errorResponses },
    },
    handler: (request) =>
      service.updateMatter(ctx, actorOf(request), request.params.id, request.body),
  });

  r.post('/matters/:id/deactivate', {
    config: { policy: { action: 'deactivate', resource: 'matter' } },
    schema: {
      tags,
      summary: 'Deactivate a matter',
      params: idParamsSchema,
      body: versionBodySchema,
      response: { 200: matterSchema, ...errorResponses },
    },
    handler: (request) =>
      service.deactivateMatter(ctx, actorOf(request), request.params.id, request.body.version),
  });

  r.get('/matters/:id/members', {
    config: { policy: { action: 'read', resource: 'matter_member' } },
    schema: {
      tags,
      summary: "List the members of a matter's ethical wall",
      params: idParamsSchema,
      response: { 200: memberListSchema, ...errorResponses },
    },
    handler: (request) => service.listMembers(ctx, actorOf(request), request.params.id),
  });

  r.put('/matters/:id/members/:userId', {
    config: { policy: { action: 'create', resource: 'matter_member' } },
    schema: {
      tags,
      summary: "Add a user to a matter's ethical wall",
      params: memberParamsSchema,
      response: { 200: memberSchema, ...errorResponses },
    },
    handler: (request) =>
      service.addMember(ctx, actorOf(request), request.params.id, request.params.userId),
  });

  r.delete('/matters/:id/members/:userId', {
    config: { policy: { action: 'deactivate', resource: 'matter_member' } },
    schema: {
      tags,
      summary: "Remove a user from a matter's ethical wall",
      params: memberParamsSchema,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await service.removeMember(ctx, actorOf(request), request.params.id, request.params.userId);
      return reply.code(204).send(null);
    },
  });
};
