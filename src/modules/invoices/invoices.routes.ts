import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import { runBillRun } from './bill-run.js';
import {
  billRunBodySchema,
  billRunReportSchema,
  idParamsSchema,
  invoiceDetailSchema,
  invoiceHistorySchema,
  invoiceListQuerySchema,
  invoicePageSchema,
  outcomeBodySchema,
  reassignBodySchema,
  transitionBodySchema,
  versionBodySchema,
} from './invoices.schemas.js';
import * as service from './invoices.service.js';

const tags = ['invoices'];

export const invoiceRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.post('/bill-runs', {
    config: { policy: { action: 'create', resource: 'bill_run' } },
    schema: {
      tags,
      summary: 'Create or refresh the draft invoices for a month',
      body: billRunBodySchema,
      response: { 200: billRunReportSchema, ...errorResponses },
    },
    handler: (request) =>
      runBillRun(ctx, actorOf(request), {
        period: request.body.period,
        ...(request.body.client_code === undefined ? {} : { clientCode: request.body.client_code }),
        ...(request.body.matter_code === undefined ? {} : { matterCode: request.body.matter_code }),
      }),
  });

  r.get('/invoices', {
    config: { policy: { action: 'read', resource: 'invoice' } },
    schema: {
      tags,
      summary: 'List invoices',
      querystring: invoiceListQuerySchema,
      response: { 200: invoicePageSchema, ...errorResponses },
    },
    handler: (request) => service.listInvoices(ctx, actorOf(request), request.query),
  });

  r.get('/invoices/:id', {
    config: { policy: { action: 'read', resource: 'invoice' } },
    schema: {
      tags,
      summary: 'Get an invoice with its lines and adjustments',
      params: idParamsSchema,
      response: { 200: invoiceDetailSchema, ...errorResponses },
    },
    handler: (request) => service.getInvoice(ctx, actorOf(request), { id: request.params.id }),
  });

  r.post('/invoices/:id/revalue', {
    config: { policy: { action: 'update', resource: 'invoice' } },
    schema: {
      tags,
      summary: 'Revalue a draft at the current rates (send the version you read)',
      params: idParamsSchema,
      body: versionBodySchema,
      response: { 200: invoiceDetailSchema, ...errorResponses },
    },
    handler: (request) =>
      service.revalue(ctx, actorOf(request), request.params.id, request.body.version),
  });

  r.post('/invoices/:id/transitions', {
    config: { policy: { action: 'update', resource: 'invoice' } },
    schema: {
      tags,
      summary: 'Move an invoice to another workflow stage (send the version you read)',
      params: idParamsSchema,
      body: transitionBodySchema,
      response: { 200: invoiceDetailSchema, ...errorResponses },
    },
    handler: (request) =>
      service.transition(ctx, actorOf(request), request.params.id, request.body),
  });

  r.post('/invoices/:id/reassign', {
    config: { policy: { action: 'update', resource: 'invoice' } },
    schema: {
      tags,
      summary:
        "Hand the invoice's current stage to another owner, with a reason (send the version you read)",
      params: idParamsSchema,
      body: reassignBodySchema,
      response: { 200: invoiceDetailSchema, ...errorResponses },
    },
    handler: (request) => service.reassign(ctx, actorOf(request), request.params.id, request.body),
  });

  r.post('/invoices/:id/outcome', {
    config: { policy: { action: 'update', resource: 'invoice' } },
    schema: {
      tags,
      summary:
        'Record the outcome of a contingency draft: the fee earned, billed by the next run (send the version you read)',
      params: idParamsSchema,
      body: outcomeBodySchema,
      response: { 200: invoiceDetailSchema, ...errorResponses },
    },
    handler: (request) => service.outcome(ctx, actorOf(request), request.params.id, request.body),
  });

  r.get('/invoices/:id/history', {
    config: { policy: { action: 'read', resource: 'invoice' } },
    schema: {
      tags,
      summary: "An invoice's audit events and stage changes, in time order",
      params: idParamsSchema,
      response: { 200: invoiceHistorySchema, ...errorResponses },
    },
    handler: (request) => service.getHistory(ctx, actorOf(request), request.params.id),
  });
};
