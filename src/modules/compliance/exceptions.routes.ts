import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import { idParamsSchema } from '../../http/fields.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  exceptionListQuerySchema,
  exceptionPageSchema,
  exceptionSchema,
  recheckBodySchema,
  recheckResultSchema,
  waiveBodySchema,
} from './exceptions.schemas.js';
import * as service from './exceptions.service.js';

const tags = ['exceptions'];

/**
 * Guideline exceptions: findings that persist until the work is fixed (resolved by the next
 * check) or someone accountable waives them. There is no manual resolve: fixing the entry is
 * what resolves its exception.
 */
export const exceptionRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/exceptions', {
    config: { policy: { action: 'read', resource: 'guideline_exception' } },
    schema: {
      tags,
      summary: 'List the guideline exceptions you may see',
      querystring: exceptionListQuerySchema,
      response: { 200: exceptionPageSchema, ...errorResponses },
    },
    handler: (request) => service.listExceptions(ctx, actorOf(request), request.query),
  });

  r.get('/exceptions/:id', {
    config: { policy: { action: 'read', resource: 'guideline_exception' } },
    schema: {
      tags,
      summary: 'Get a guideline exception',
      params: idParamsSchema,
      response: { 200: exceptionSchema, ...errorResponses },
    },
    handler: (request) => service.getException(ctx, actorOf(request), request.params.id),
  });

  r.post('/exceptions/:id/waive', {
    config: { policy: { action: 'update', resource: 'guideline_exception' } },
    schema: {
      tags,
      summary: 'Waive an open exception, with a reason (send the version you read)',
      params: idParamsSchema,
      body: waiveBodySchema,
      response: { 200: exceptionSchema, ...errorResponses },
    },
    handler: (request) =>
      service.waiveException(ctx, actorOf(request), request.params.id, request.body),
  });

  r.post('/exceptions/recheck', {
    config: { policy: { action: 'update', resource: 'guideline_exception' } },
    schema: {
      tags,
      summary: 'Re-run the guideline checks over unbilled work in a window and sync exceptions',
      body: recheckBodySchema,
      response: { 200: recheckResultSchema, ...errorResponses },
    },
    handler: (request) => service.recheckExceptions(ctx, actorOf(request), request.body),
  });
};
