import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import { invoiceDetailSchema } from '../invoices/invoices.schemas.js';
import { getInvoice } from '../invoices/invoices.service.js';
import { editLineValues, moveLine, setLineDisposition } from './edit-line.js';
import {
  dispositionBodySchema,
  lineEditBodySchema,
  lineParamsSchema,
  moveBodySchema,
} from './prebill.schemas.js';

const tags = ['pre-bill'];
const edit = { policy: { action: 'update', resource: 'invoice' } } as const;

export const prebillRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.patch('/invoices/:id/lines/:lineId', {
    config: edit,
    schema: {
      tags,
      summary:
        "Change a line's hours, rate, narrative, UTBMS codes or internal note (send the invoice version)",
      params: lineParamsSchema,
      body: lineEditBodySchema,
      response: { 200: invoiceDetailSchema, ...errorResponses },
    },
    handler: async (request) => {
      const actor = actorOf(request);
      await editLineValues(ctx, actor, request.params.id, request.params.lineId, request.body);
      return getInvoice(ctx, actor, { id: request.params.id });
    },
  });

  r.post('/invoices/:id/lines/:lineId/disposition', {
    config: edit,
    schema: {
      tags,
      summary: 'Bill a line, list it at no charge, exclude it, or hold it to the next cycle',
      params: lineParamsSchema,
      body: dispositionBodySchema,
      response: { 200: invoiceDetailSchema, ...errorResponses },
    },
    handler: async (request) => {
      const actor = actorOf(request);
      await setLineDisposition(ctx, actor, request.params.id, request.params.lineId, request.body);
      return getInvoice(ctx, actor, { id: request.params.id });
    },
  });

  r.post('/invoices/:id/lines/:lineId/move', {
    config: edit,
    schema: {
      tags,
      summary: "Move a line's work to another matter, to be billed there",
      params: lineParamsSchema,
      body: moveBodySchema,
      response: { 200: invoiceDetailSchema, ...errorResponses },
    },
    handler: async (request) => {
      const actor = actorOf(request);
      await moveLine(ctx, actor, request.params.id, request.params.lineId, request.body);
      return getInvoice(ctx, actor, { id: request.params.id });
    },
  });
};
