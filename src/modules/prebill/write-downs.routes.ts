import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import { idParamsSchema, invoiceDetailSchema } from '../invoices/invoices.schemas.js';
import { getInvoice } from '../invoices/invoices.service.js';
import { adjustInvoice } from './adjust-invoice.js';
import { decideAdjustment } from './decide-adjustment.js';
import {
  addReason,
  getThresholds,
  listReasons,
  updateReason,
  setThresholds,
} from './prebill-settings.js';
import { writeDownReport } from './write-down-report.js';
import {
  adjustBodySchema,
  adjustmentParamsSchema,
  decisionBodySchema,
  reasonCreateSchema,
  reasonListQuerySchema,
  reasonListSchema,
  reasonParamsSchema,
  reasonSchema,
  reasonUpdateSchema,
  reportQuerySchema,
  reportSchema,
  thresholdsBodySchema,
  thresholdsSchema,
} from './write-downs.schemas.js';

const tags = ['pre-bill'];

export const writeDownRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.post('/invoices/:id/adjustments', {
    config: { policy: { action: 'update', resource: 'invoice' } },
    schema: {
      tags,
      summary: 'Write down, write up or discount a line or the invoice (amount, percent or hours)',
      params: idParamsSchema,
      body: adjustBodySchema,
      response: { 200: invoiceDetailSchema, ...errorResponses },
    },
    handler: async (request) => {
      const actor = actorOf(request);
      await adjustInvoice(ctx, actor, request.params.id, request.body);
      return getInvoice(ctx, actor, { id: request.params.id });
    },
  });

  r.post('/invoices/:id/adjustments/:adjustmentId/decision', {
    config: { policy: { action: 'update', resource: 'invoice' } },
    schema: {
      tags,
      summary:
        'Approve or reject a pending write-down (the next approval level, not the requester)',
      params: adjustmentParamsSchema,
      body: decisionBodySchema,
      response: { 200: invoiceDetailSchema, ...errorResponses },
    },
    handler: async (request) => {
      const actor = actorOf(request);
      await decideAdjustment(
        ctx,
        actor,
        request.params.id,
        request.params.adjustmentId,
        request.body,
      );
      return getInvoice(ctx, actor, { id: request.params.id });
    },
  });

  r.get('/adjustment-reasons', {
    config: { policy: { action: 'read', resource: 'adjustment_reason' } },
    schema: {
      tags,
      summary: 'The reason codes adjustments cite (include_inactive=true for disabled ones too)',
      querystring: reasonListQuerySchema,
      response: { 200: reasonListSchema, ...errorResponses },
    },
    handler: async (request) => ({
      items: await listReasons(ctx, request.query.include_inactive === 'true'),
    }),
  });

  r.post('/adjustment-reasons', {
    config: { policy: { action: 'create', resource: 'adjustment_reason' } },
    schema: {
      tags,
      summary: 'Add a reason code',
      body: reasonCreateSchema,
      response: { 200: reasonSchema, ...errorResponses },
    },
    handler: (request) => addReason(ctx, actorOf(request), request.body),
  });

  r.patch('/adjustment-reasons/:code', {
    config: { policy: { action: 'update', resource: 'adjustment_reason' } },
    schema: {
      tags,
      summary: 'Change a reason code: its label, whether it needs a note, enabled or disabled',
      params: reasonParamsSchema,
      body: reasonUpdateSchema,
      response: { 200: reasonSchema, ...errorResponses },
    },
    handler: (request) => updateReason(ctx, actorOf(request), request.params.code, request.body),
  });

  r.get('/prebill-settings', {
    config: { policy: { action: 'read', resource: 'prebill_setting' } },
    schema: {
      tags,
      summary: 'When a write-down needs the next approval level',
      response: { 200: thresholdsSchema, ...errorResponses },
    },
    handler: () => getThresholds(ctx),
  });

  r.put('/prebill-settings', {
    config: { policy: { action: 'update', resource: 'prebill_setting' } },
    schema: {
      tags,
      summary: 'Set the write-down approval thresholds (null turns one off)',
      body: thresholdsBodySchema,
      response: { 200: thresholdsSchema, ...errorResponses },
    },
    handler: (request) => setThresholds(ctx, actorOf(request), request.body),
  });

  r.get('/reports/write-downs', {
    config: { policy: { action: 'read', resource: 'invoice' } },
    schema: {
      tags: ['reports'],
      summary: 'Write-downs over a period by reason, timekeeper, matter or client',
      querystring: reportQuerySchema,
      response: { 200: reportSchema, ...errorResponses },
    },
    handler: (request) => writeDownReport(ctx, actorOf(request), request.query),
  });
};
