import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import { idParamsSchema } from '../invoices/invoices.schemas.js';
import { loadPrebill } from './prebill-packet.js';
import { loadPrebillReview } from './prebill-review.js';
import { prebillReviewSchema } from './prebill-review.schemas.js';
import { renderPrebillHtml } from './render-prebill-html.js';
import { renderPrebillPdf } from './render-prebill-pdf.js';

const tags = ['pre-bill'];
const PACKET_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const read = { policy: { action: 'read', resource: 'invoice' } } as const;

export const packetRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/invoices/:id/prebill', {
    config: read,
    schema: {
      tags,
      summary: "The invoice's internal pre-bill packet as an HTML page",
      params: idParamsSchema,
      response: {
        200: {
          description: 'A self-contained HTML page (internal: it shows internal notes).',
          content: { 'text/html': { schema: z.string() } },
        },
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const packet = await loadPrebill(ctx, actorOf(request), { id: request.params.id });
      return (
        reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          // A standalone page: its own inline styles, nothing else (no scripts, no requests).
          .header('content-security-policy', PACKET_CSP)
          .send(renderPrebillHtml(packet))
      );
    },
  });

  r.get('/invoices/:id/prebill.json', {
    config: read,
    schema: {
      tags,
      summary:
        'The pre-bill packet as data, with who decides each pending write-down and the pre-bill moves you may make',
      params: idParamsSchema,
      response: { 200: prebillReviewSchema, ...errorResponses },
    },
    handler: (request) => loadPrebillReview(ctx, actorOf(request), request.params.id),
  });

  r.get('/invoices/:id/prebill.pdf', {
    config: read,
    schema: {
      tags,
      summary: "The invoice's internal pre-bill packet as a PDF",
      params: idParamsSchema,
      response: {
        200: {
          description: 'A PDF file (internal: it shows internal notes).',
          content: { 'application/pdf': { schema: z.unknown().describe('PDF bytes') } },
        },
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const packet = await loadPrebill(ctx, actorOf(request), { id: request.params.id });
      const pdf = await renderPrebillPdf(packet);
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', `inline; filename="prebill-${packet.invoice_number}.pdf"`)
        .send(pdf);
    },
  });
};
