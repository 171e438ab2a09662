import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import { idParamsSchema, versionBodySchema } from '../../http/fields.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  expenseCreateSchema,
  expenseListQuerySchema,
  expensePageSchema,
  expenseSchema,
  expenseUpdateSchema,
  expenseWithFindingsSchema,
} from './expenses.schemas.js';
import * as service from './expenses.service.js';

const tags = ['expenses'];

export const expenseRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/expenses', {
    config: { policy: { action: 'read', resource: 'expense' } },
    schema: {
      tags,
      summary: 'List the expenses you may see',
      querystring: expenseListQuerySchema,
      response: { 200: expensePageSchema, ...errorResponses },
    },
    handler: (request) => service.listExpenses(ctx, actorOf(request), request.query),
  });

  r.get('/expenses/:id', {
    config: { policy: { action: 'read', resource: 'expense' } },
    schema: {
      tags,
      summary: 'Get an expense',
      params: idParamsSchema,
      response: { 200: expenseSchema, ...errorResponses },
    },
    handler: (request) => service.getExpense(ctx, actorOf(request), request.params.id),
  });

  r.post('/expenses', {
    config: { policy: { action: 'create', resource: 'expense' } },
    schema: {
      tags,
      summary: 'Record a draft expense',
      body: expenseCreateSchema,
      response: { 201: expenseWithFindingsSchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await service.createExpense(ctx, actorOf(request), request.body)),
  });

  r.patch('/expenses/:id', {
    config: { policy: { action: 'update', resource: 'expense' } },
    schema: {
      tags,
      summary: 'Correct an expense that is not billed (send the version you read)',
      params: idParamsSchema,
      body: expenseUpdateSchema,
      response: { 200: expenseWithFindingsSchema, ...errorResponses },
    },
    handler: (request) =>
      service.updateExpense(ctx, actorOf(request), request.params.id, request.body),
  });

  r.post('/expenses/:id/deactivate', {
    config: { policy: { action: 'deactivate', resource: 'expense' } },
    schema: {
      tags,
      summary: 'Deactivate an expense that is not billed',
      params: idParamsSchema,
      body: versionBodySchema,
      response: { 200: expenseSchema, ...errorResponses },
    },
    handler: (request) =>
      service.deactivateExpense(ctx, actorOf(request), request.params.id, request.body.version),
  });

  r.post('/expenses/:id/release', {
    config: { policy: { action: 'update', resource: 'expense' } },
    schema: {
      tags,
      summary:
        'Release a draft expense to billing (409 RELEASE_BLOCKED while a block finding is open)',
      params: idParamsSchema,
      body: versionBodySchema,
      response: { 200: expenseWithFindingsSchema, ...errorResponses },
    },
    handler: (request) =>
      service.releaseExpense(ctx, actorOf(request), request.params.id, request.body.version),
  });
};
