import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { acceptYamlDocuments, readDocumentImport } from '../../http/document-body.js';
import { errorResponses } from '../../http/openapi.js';
import { activateGuideline } from './activate-guideline.js';
import {
  DOCUMENT_MEDIA_TYPES,
  exportQuerySchema,
  guidelineListQuerySchema,
  guidelineListSchema,
  guidelineVersionDetailSchema,
  guidelineVersionSchema,
  importBodySchema,
  importQuerySchema,
  keyVersionParamsSchema,
  sandboxBodySchema,
  sandboxReportSchema,
  validateBodySchema,
  validateResultSchema,
} from './guidelines.schemas.js';
import * as service from './guidelines.service.js';
import { importGuideline } from './import-guideline.js';
import { runSandbox } from './run-sandbox.js';
import { validateGuideline } from './validate-guideline.js';

const tags = ['guidelines'];

export const guidelineRoutes: RegisterRoutes = async (api, { ctx }) => {
  // Its own scope, so the YAML body parser applies to these routes only.
  await api.register(async (scope) => {
    acceptYamlDocuments(scope);
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.get('/guidelines', {
      config: { policy: { action: 'read', resource: 'guideline' } },
      schema: {
        tags,
        summary: 'List guideline versions',
        querystring: guidelineListQuerySchema,
        response: { 200: guidelineListSchema, ...errorResponses },
      },
      handler: async (request) => ({
        items: await service.listGuidelineVersions(ctx, actorOf(request), request.query),
      }),
    });

    r.post('/guidelines', {
      config: { policy: { action: 'import', resource: 'guideline' } },
      schema: {
        tags,
        summary: 'Import a guideline document as a new draft version',
        description:
          'Send the document itself as text/yaml, application/yaml or text/plain (YAML or JSON ' +
          'text, stored byte for byte; `?activate=true` activates it), or application/json ' +
          '`{ "content": "<document text>", "activate": true }`. An invalid document is ' +
          'rejected whole: 400 GUIDELINE_INVALID with `details.issues[]` giving line, column, ' +
          'field and message for every problem.',
        consumes: ['application/json', ...DOCUMENT_MEDIA_TYPES],
        querystring: importQuerySchema,
        body: importBodySchema,
        response: { 201: guidelineVersionSchema, ...errorResponses },
      },
      handler: async (request, reply) => {
        const { content, activate } = readDocumentImport(request.body, request.query);
        const version = await importGuideline(ctx, actorOf(request), content, { activate });
        return reply.code(201).send(version);
      },
    });

    r.get('/guidelines/export', {
      config: { policy: { action: 'export', resource: 'guideline' } },
      schema: {
        tags,
        summary: 'The source text of a client’s active guideline (or a given version)',
        querystring: exportQuerySchema,
        response: {
          200: {
            description: 'The document exactly as imported.',
            content: {
              'text/yaml': { schema: z.string() },
              'application/json': { schema: z.string().describe('A document imported as JSON.') },
            },
          },
          ...errorResponses,
        },
      },
      handler: async (request, reply) => {
        const { version, sourceText } = await service.exportGuideline(
          ctx,
          actorOf(request),
          request.query,
        );
        const json = sourceText.trimStart().startsWith('{');
        // A string payload is sent as is, whatever the media type: the bytes stay as imported.
        return reply
          .type(json ? 'application/json; charset=utf-8' : 'text/yaml; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="${version.key}-v${version.version}.${json ? 'json' : 'yaml'}"`,
          )
          .send(sourceText);
      },
    });

    r.get('/guidelines/:key/versions/:version', {
      config: { policy: { action: 'read', resource: 'guideline' } },
      schema: {
        tags,
        summary: 'One guideline version with its source text and parsed rules',
        params: keyVersionParamsSchema,
        response: { 200: guidelineVersionDetailSchema, ...errorResponses },
      },
      handler: (request) =>
        service.getGuidelineVersion(
          ctx,
          actorOf(request),
          request.params.key,
          request.params.version,
        ),
    });

    r.post('/guidelines/:key/versions/:version/activate', {
      config: { policy: { action: 'update', resource: 'guideline' } },
      schema: {
        tags,
        summary: 'Activate a version, retiring the client’s active one (a no-op if already active)',
        params: keyVersionParamsSchema,
        response: { 200: guidelineVersionSchema, ...errorResponses },
      },
      handler: async (request) => {
        const { key, version } = request.params;
        return (await activateGuideline(ctx, actorOf(request), key, version)).version;
      },
    });

    r.post('/guidelines/validate', {
      // Checking a draft writes nothing, so a read-scoped token may run it.
      config: { policy: { action: 'import', resource: 'guideline', scope: 'read' } },
      schema: {
        tags,
        summary: 'Check a guideline document as an import would, storing nothing',
        description:
          '200 with what the document is and the version saving it would make; 400 ' +
          'GUIDELINE_INVALID (or GUIDELINE_CLIENT_CHANGED) with `details.issues[]` giving line, ' +
          'column, field and message for every problem.',
        body: validateBodySchema,
        response: { 200: validateResultSchema, ...errorResponses },
      },
      handler: (request) => validateGuideline(ctx, actorOf(request), request.body.content),
    });

    r.post('/guidelines/sandbox', {
      // Trying a draft reads past work and writes nothing, so a read-scoped token may run it.
      config: { policy: { action: 'import', resource: 'guideline', scope: 'read' } },
      schema: {
        tags,
        summary: 'Run a draft guideline over past work and compare with the active rules',
        description:
          'Nothing is stored. For a client guideline, only that client’s work is checked; for ' +
          'the firm-wide one ("*"), every client’s. 400 GUIDELINE_INVALID for an invalid draft.',
        body: sandboxBodySchema,
        response: { 200: sandboxReportSchema, ...errorResponses },
      },
      handler: (request) => runSandbox(ctx, actorOf(request), request.body),
    });
  });
};
