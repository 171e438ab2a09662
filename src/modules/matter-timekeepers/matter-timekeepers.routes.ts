import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth.js';
import { idParamsSchema } from '../../http/fields.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  matterTimekeeperListSchema,
  matterTimekeeperParamsSchema,
  matterTimekeeperPutSchema,
  matterTimekeeperSchema,
} from './matter-timekeepers.schemas.js';
import * as service from './matter-timekeepers.service.js';

const tags = ['matters'];

export const matterTimekeeperRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/matters/:id/timekeepers', {
    config: { policy: { action: 'read', resource: 'matter_timekeeper' } },
    schema: {
      tags,
      summary: 'List the timekeepers approved on a matter',
      params: idParamsSchema,
      response: { 200: matterTimekeeperListSchema, ...errorResponses },
    },
    handler: (request) => service.listMatterTimekeepers(ctx, actorOf(request), request.params.id),
  });

  r.put('/matters/:id/timekeepers/:timekeeperCode', {
    config: { policy: { action: 'update', resource: 'matter_timekeeper' } },
    schema: {
      tags,
      summary: 'Approve a timekeeper on a matter, or change their approved rate',
      params: matterTimekeeperParamsSchema,
      body: matterTimekeeperPutSchema,
      response: { 200: matterTimekeeperSchema, 201: matterTimekeeperSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { created, item } = await service.putMatterTimekeeper(
        ctx,
        actorOf(request),
        request.params.id,
        request.params.timekeeperCode,
        request.body,
      );
      return reply.code(created ? 201 : 200).send(item);
    },
  });

  r.delete('/matters/:id/timekeepers/:timekeeperCode', {
    config: { policy: { action: 'deactivate', resource: 'matter_timekeeper' } },
    schema: {
      tags,
      summary: "Withdraw a timekeeper's approval on a matter",
      params: matterTimekeeperParamsSchema,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await service.removeMatterTimekeeper(
        ctx,
        actorOf(request),
        request.params.id,
        request.params.timekeeperCode,
      );
      return reply.code(204).send(null);
    },
  });
};
