import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import { idParamsSchema, versionBodySchema } from '../../http/fields.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  userCreateSchema,
  userListQuerySchema,
  userPageSchema,
  userSchema,
  userUpdateSchema,
  passwordBodySchema,
} from './users.schemas.js';
import * as service from './users.service.js';

const tags = ['users'];

export const userRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/users', {
    config: { policy: { action: 'read', resource: 'user' } },
    schema: {
      tags,
      summary: 'List users',
      querystring: userListQuerySchema,
      response: { 200: userPageSchema, ...errorResponses },
    },
    handler: (request) => service.listUsers(ctx, actorOf(request), request.query),
  });

  r.get('/users/:id', {
    config: { policy: { action: 'read', resource: 'user' } },
    schema: {
      tags,
      summary: 'Get a user',
      params: idParamsSchema,
      response: { 200: userSchema, ...errorResponses },
    },
    handler: (request) => service.getUser(ctx, actorOf(request), request.params.id),
  });

  r.post('/users', {
    config: { policy: { action: 'create', resource: 'user' } },
    schema: {
      tags,
      summary: 'Create a user',
      body: userCreateSchema,
      response: { 201: userSchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await service.createUser(ctx, actorOf(request), request.body)),
  });

  r.patch('/users/:id', {
    config: { policy: { action: 'update', resource: 'user' } },
    schema: {
      tags,
      summary: 'Update a user (send the version you read)',
      params: idParamsSchema,
      body: userUpdateSchema,
      response: { 200: userSchema, ...errorResponses },
    },
    handler: (request) =>
      service.updateUser(ctx, actorOf(request), request.params.id, request.body),
  });

  r.post('/users/:id/deactivate', {
    config: { policy: { action: 'deactivate', resource: 'user' } },
    schema: {
      tags,
      summary: 'Deactivate a user',
      params: idParamsSchema,
      body: versionBodySchema,
      response: { 200: userSchema, ...errorResponses },
    },
    handler: (request) =>
      service.deactivateUser(ctx, actorOf(request), request.params.id, request.body.version),
  });

  r.post('/users/:id/password', {
    config: { policy: { action: 'update', resource: 'user', scope: 'admin' } },
    schema: {
      tags,
      summary: "Set a user's password (ends their sessions)",
      params: idParamsSchema,
      body: passwordBodySchema,
      response: { 200: userSchema, ...errorResponses },
    },
    handler: (request) =>
      service.setPassword(ctx, actorOf(request), request.params.id, request.body.password),
  });
};
