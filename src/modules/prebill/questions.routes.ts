import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import { idParamsSchema, invoiceDetailSchema } from '../invoices/invoices.schemas.js';
import { getInvoice } from '../invoices/invoices.service.js';
import { answerQuestion, askTimekeeper, listQuestions } from './questions.js';
import {
  answerBodySchema,
  askBodySchema,
  questionIdParamsSchema,
  questionListQuerySchema,
  questionListSchema,
  questionSchema,
} from './questions.schemas.js';

const tags = ['pre-bill'];

export const questionRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.post('/invoices/:id/questions', {
    config: { policy: { action: 'create', resource: 'invoice_question' } },
    schema: {
      tags,
      summary: 'Send an invoice (or one line) back to a timekeeper with a question',
      params: idParamsSchema,
      body: askBodySchema,
      response: { 200: invoiceDetailSchema, ...errorResponses },
    },
    handler: async (request) => {
      const actor = actorOf(request);
      await askTimekeeper(ctx, actor, request.params.id, request.body);
      return getInvoice(ctx, actor, { id: request.params.id });
    },
  });

  r.get('/invoices/:id/questions', {
    config: { policy: { action: 'read', resource: 'invoice_question' } },
    schema: {
      tags,
      summary: "An invoice's questions to its timekeepers, newest first",
      params: idParamsSchema,
      querystring: questionListQuerySchema,
      response: { 200: questionListSchema, ...errorResponses },
    },
    handler: async (request) => ({
      items: await listQuestions(ctx, actorOf(request), {
        invoiceId: request.params.id,
        ...(request.query.state === undefined ? {} : { state: request.query.state }),
      }),
    }),
  });

  r.get('/invoice-questions/mine', {
    config: { policy: { action: 'read', resource: 'invoice_question' } },
    schema: {
      tags,
      summary: 'The questions asked of me (state=open for my open questions), newest first',
      querystring: questionListQuerySchema,
      response: { 200: questionListSchema, ...errorResponses },
    },
    handler: async (request) => ({
      items: await listQuestions(ctx, actorOf(request), {
        ...(request.query.state === undefined ? {} : { state: request.query.state }),
      }),
    }),
  });

  r.post('/invoice-questions/:id/answer', {
    config: { policy: { action: 'update', resource: 'invoice_question' } },
    schema: {
      tags,
      summary: 'Answer a question asked of me; the last answer returns the invoice to review',
      params: questionIdParamsSchema,
      body: answerBodySchema,
      response: { 200: questionSchema, ...errorResponses },
    },
    handler: (request) => answerQuestion(ctx, actorOf(request), request.params.id, request.body),
  });
};
