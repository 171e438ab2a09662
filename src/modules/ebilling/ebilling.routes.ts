import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import { acceptYamlDocuments } from '../../http/document-body.js';
import {
  idParamsSchema,
  ledesExportListSchema,
  readinessReportSchema,
  reasonMapBodySchema,
  reasonMapSchema,
  rejectionQuerySchema,
  rejectionReportSchema,
  responseImportSchema,
  responsesBodySchema,
  submissionBodySchema,
  submissionListSchema,
  submissionSchema,
} from './ebilling.schemas.js';
import * as service from './ebilling.service.js';
import { exportInvoiceLedes } from './export-ledes.js';
import { importResponses } from './import-responses.js';
import { recordSubmission } from './record-submission.js';
import { importReasonMap, reasonMapInForce } from './reason-map.js';
import { rejectionReport } from './rejection-report.js';

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

  r.post('/invoices/:id/submissions', {
    config: { policy: { action: 'create', resource: 'ebilling', scope: 'submit' } },
    schema: {
      tags,
      summary:
        'Record that the exported file went to the portal, and move the invoice to submitted',
      description:
        'Names the export by its SHA-256 (the latest export when omitted) and the portal (the ' +
        "client's profile portal when omitted). The move goes through the workflow: the " +
        'readiness guard, roles and the version you read apply. 409 EXPORT_NOT_FOUND when ' +
        'nothing was exported, EXPORT_OUTDATED when the invoice changed since.',
      params: idParamsSchema,
      body: submissionBodySchema,
      response: { 200: submissionSchema, ...errorResponses },
    },
    handler: (request) =>
      recordSubmission(
        ctx,
        actorOf(request),
        { id: request.params.id },
        {
          version: request.body.version,
          portal: request.body.portal,
          sha256: request.body.sha256,
          submittedAt: request.body.submitted_at,
        },
      ),
  });

  r.get('/invoices/:id/submissions', {
    config: { policy: { action: 'read', resource: 'ebilling' } },
    schema: {
      tags,
      summary: "The invoice's recorded submissions",
      params: idParamsSchema,
      response: { 200: submissionListSchema, ...errorResponses },
    },
    handler: (request) => service.listSubmissions(ctx, actorOf(request), request.params.id),
  });

  r.get('/reports/rejections', {
    config: { policy: { action: 'read', resource: 'ebilling' } },
    schema: {
      tags,
      summary: 'Portal rejections and reductions by reason, and which rule would have caught them',
      querystring: rejectionQuerySchema,
      response: { 200: rejectionReportSchema, ...errorResponses },
    },
    handler: (request) =>
      rejectionReport(ctx, actorOf(request), request.query.from, request.query.to, {
        clientCode: request.query.client_code,
        practiceArea: request.query.practice_area,
      }),
  });

  r.get('/ebilling/reason-map', {
    config: { policy: { action: 'read', resource: 'ebilling' } },
    schema: {
      tags,
      summary: 'The reason-code map in force (version null = the built-in default)',
      response: { 200: reasonMapSchema, ...errorResponses },
    },
    handler: async () => service.reasonMapDto(await reasonMapInForce(ctx.db)),
  });

  // Scopes of their own, so the raw CSV and YAML parsers apply to these routes only.
  await api.register(async (scope) => {
    acceptYamlDocuments(scope);
    scope.withTypeProvider<ZodTypeProvider>().post('/ebilling/reason-map', {
      config: { policy: { action: 'update', resource: 'ebilling' } },
      schema: {
        tags,
        summary: 'Import a reason-code map (YAML or JSON) as the next version',
        consumes: ['text/yaml', 'application/yaml', 'text/plain', 'application/json'],
        body: reasonMapBodySchema,
        response: { 200: reasonMapSchema, ...errorResponses },
      },
      handler: async (request) =>
        service.reasonMapDto(
          await importReasonMap(
            ctx,
            actorOf(request),
            typeof request.body === 'string' ? request.body : request.body.content,
          ),
        ),
    });
  });

  await api.register(async (scope) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    scope.withTypeProvider<ZodTypeProvider>().post('/ebilling/responses', {
      config: { policy: { action: 'import', resource: 'ebilling', scope: 'import' } },
      schema: {
        tags,
        summary: "Import the portal's answers (CSV): all rows or none",
        description:
          'Columns invoice_number,status,reason_code,reason_text,amount_approved,response_date; ' +
          'status accepted, rejected, reduced, appealed or paid. Every problem is reported with ' +
          'its row and column (400 EBILLING_RESPONSES_INVALID) and nothing is written.',
        consumes: ['text/csv', 'text/plain', 'application/json'],
        body: responsesBodySchema,
        response: { 200: responseImportSchema, ...errorResponses },
      },
      handler: (request) =>
        importResponses(
          ctx,
          actorOf(request),
          typeof request.body === 'string' ? request.body : request.body.content,
        ),
    });
  });
};
