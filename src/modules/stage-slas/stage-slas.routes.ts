import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import { stageSlasBodySchema, stageSlasSchema } from './stage-slas.schemas.js';
import { getStageSlas, setStageSlas } from './stage-slas.service.js';

const tags = ['settings'];

export const stageSlaRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/settings/stage-slas', {
    config: { policy: { action: 'read', resource: 'stage_sla' } },
    schema: {
      tags,
      summary: "How long an invoice may sit in each stage: the firm's SLAs and the defaults",
      response: { 200: stageSlasSchema, ...errorResponses },
    },
    handler: () => getStageSlas(ctx),
  });

  r.put('/settings/stage-slas', {
    config: { policy: { action: 'update', resource: 'stage_sla' } },
    schema: {
      tags,
      summary: 'Change the SLAs of the listed stages (stale version → 409); the change is audited',
      body: stageSlasBodySchema,
      response: { 200: stageSlasSchema, ...errorResponses },
    },
    handler: (request) => setStageSlas(ctx, actorOf(request), request.body),
  });
};
