import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  flowFilterChoicesSchema,
  flowMetricsQuerySchema,
  flowMetricsSchema,
} from './flow-metrics.schemas.js';
import { flowFilterChoices, flowMetrics } from './flow-metrics.service.js';

export const metricsRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/metrics/flow', {
    config: { policy: { action: 'read', resource: 'flow_metrics' } },
    schema: {
      tags: ['metrics'],
      summary: 'Invoice flow: cycle time by stage, rework, aging by owner, exception volume',
      querystring: flowMetricsQuerySchema,
      response: { 200: flowMetricsSchema, ...errorResponses },
    },
    handler: (request) =>
      flowMetrics(ctx, actorOf(request), {
        interval: request.query.interval,
        ...(request.query.from === undefined ? {} : { from: request.query.from }),
        ...(request.query.to === undefined ? {} : { to: request.query.to }),
        ...(request.query.client_code === undefined
          ? {}
          : { clientCode: request.query.client_code }),
        ...(request.query.practice_area === undefined
          ? {}
          : { practiceArea: request.query.practice_area }),
      }),
  });

  r.get('/metrics/filters', {
    config: { policy: { action: 'read', resource: 'flow_metrics' } },
    schema: {
      tags: ['metrics'],
      summary: 'The clients and practice areas the flow metrics and reports can be filtered by',
      response: { 200: flowFilterChoicesSchema, ...errorResponses },
    },
    handler: (request) => flowFilterChoices(ctx, actorOf(request)),
  });
};
