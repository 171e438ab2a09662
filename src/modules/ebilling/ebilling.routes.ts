import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  idParamsSchema,
  ledesExportListSchema,
  readinessReportSchema,
} from './ebilling.schemas.js';
import * as service from './ebilling.service.js';
import { exportInvoiceLedes } from './export-ledes.js';

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

  r.get('/invoices/:id/ledes', {
    config: { policy: { action: 'export', resource: 'ebilling', scope: 'export' } },
    schema: {
      tags,
      summary: "Download the invoice's LEDES file (recorded with its SHA-256)",
      description:
        'The body is the file itself (text/plain). Each download is recorded as an export with ' +
        'its checksum, also sent as the X-Matterflow-SHA256 header. An invoice that is not ' +
        'approved answers 409 INVOICE_NOT_APPROVED; one that fails readiness 409 ' +
        'NOT_READY_FOR_EXPORT with every problem.',
      params: idParamsSchema,
      produces: ['text/plain'],
      response: { ...errorResponses },
    },
    handler: async (request, reply) => {
      const exported = await exportInvoiceLedes(ctx, actorOf(request), { id: request.params.id });
      return (
        reply
          .header('content-type', 'text/plain; charset=utf-8')
          .header('content-disposition', `attachment; filename="${exported.file_name}"`)
          .header('x-matterflow-sha256', exported.sha256)
          .header('x-matterflow-ledes-format', exported.format)
          // The file's bytes go out as they were checksummed; only error bodies have a schema.
          .send(exported.content as never)
      );
    },
  });

  r.get('/invoices/:id/ledes-exports', {
    config: { policy: { action: 'read', resource: 'ebilling' } },
    schema: {
      tags,
      summary: "The invoice's LEDES exports: who, when, format, checksum and size",
      params: idParamsSchema,
      response: { 200: ledesExportListSchema, ...errorResponses },
    },
    handler: (request) => service.listExports(ctx, actorOf(request), request.params.id),
  });
};
