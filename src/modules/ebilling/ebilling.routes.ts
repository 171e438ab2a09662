import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import { idParamsSchema, readinessReportSchema } from './ebilling.schemas.js';
import * as service from './ebilling.service.js';

const tags = ['e-billing'];

export const ebillingRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/invoices/:id/readiness', {
    config: { policy: { action: 'read', resource: 'invoice' } },
    schema: {
      tags,
      summary: "Would the client's portal take this invoice? Every problem with its owner",
      params: idParamsSchema,
      response: { 200: readinessReportSchema, ...errorResponses },
    },
    handler: (request) => service.getReadiness(ctx, actorOf(request), { id: request.params.id }),
  });
};
