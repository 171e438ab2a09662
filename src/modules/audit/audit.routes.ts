import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  auditEventListQuerySchema,
  auditEventPageSchema,
  auditVerifySchema,
} from './audit.schemas.js';
import * as service from './audit.service.js';

const tags = ['audit'];

export const auditRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/audit-events', {
    config: { policy: { action: 'read', resource: 'audit_event' } },
    schema: {
      tags,
      summary: 'List audit events in chain order',
      querystring: auditEventListQuerySchema,
      response: { 200: auditEventPageSchema, ...errorResponses },
    },
    handler: (request) => service.listAuditEvents(ctx, actorOf(request), request.query),
  });

  r.get('/audit-events/verify', {
    config: { policy: { action: 'read', resource: 'audit_event' } },
    schema: {
      tags,
      summary: 'Check the whole audit chain and report the first broken link',
      response: { 200: auditVerifySchema, ...errorResponses },
    },
    handler: (request) => service.verifyAuditTrail(ctx, actorOf(request)),
  });
};
