import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  fieldVisibilityBodySchema,
  fieldVisibilityListSchema,
  fieldVisibilityParamsSchema,
  fieldVisibilitySchema,
} from './field-visibility.schemas.js';
import { listFieldVisibility, setFieldVisibility } from './field-visibility.service.js';

const tags = ['settings'];

export const fieldVisibilityRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/settings/field-visibility', {
    config: { policy: { action: 'read', resource: 'field_visibility' } },
    schema: {
      tags,
      summary: 'Per role: whether it sees rates and amounts, and write-down reasons',
      response: { 200: fieldVisibilityListSchema, ...errorResponses },
    },
    handler: async () => ({ items: await listFieldVisibility(ctx) }),
  });

  r.put('/settings/field-visibility/:role', {
    config: { policy: { action: 'update', resource: 'field_visibility' } },
    schema: {
      tags,
      summary: 'Change what one role sees (stale version → 409); the change is audited',
      params: fieldVisibilityParamsSchema,
      body: fieldVisibilityBodySchema,
      response: { 200: fieldVisibilitySchema, ...errorResponses },
    },
    handler: (request) =>
      setFieldVisibility(ctx, actorOf(request), request.params.role, request.body),
  });
};
