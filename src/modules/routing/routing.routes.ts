import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { acceptYamlDocuments, readDocumentImport } from '../../http/document-body.js';
import { errorResponses } from '../../http/openapi.js';
import { activateRoutingTable } from './activate-routing-table.js';
import { importRoutingTable } from './import-routing-table.js';
import { previewStageOwners } from './resolve-stage-owners.js';
import {
  DOCUMENT_MEDIA_TYPES,
  importBodySchema,
  importQuerySchema,
  keyVersionParamsSchema,
  resolveQuerySchema,
  routingTableDetailSchema,
  routingTableListSchema,
  routingTableVersionSchema,
  stageOwnersSchema,
} from './routing.schemas.js';
import * as service from './routing.service.js';

const tags = ['routing'];

export const routingRoutes: RegisterRoutes = async (api, { ctx }) => {
  // Its own scope, so the YAML body parser applies to these routes only.
  await api.register(async (scope) => {
    acceptYamlDocuments(scope);
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.get('/routing-tables', {
      config: { policy: { action: 'read', resource: 'routing_table' } },
      schema: {
        tags,
        summary: 'List routing table versions',
        response: { 200: routingTableListSchema, ...errorResponses },
      },
      handler: async (request) => ({
        items: await service.listRoutingTables(ctx, actorOf(request)),
      }),
    });

    r.post('/routing-tables', {
      config: { policy: { action: 'import', resource: 'routing_table' } },
      schema: {
        tags,
        summary: 'Import a routing table document as a new draft version',
        description:
          'Send the document itself as text/yaml, application/yaml or text/plain (YAML or JSON ' +
          'text, stored byte for byte; `?activate=true` activates it), or application/json ' +
          '`{ "content": "<document text>", "activate": true }`. An invalid document, or one ' +
          'naming a user who is not an active user, is rejected whole: 400 ' +
          'ROUTING_TABLE_INVALID with `details.issues[]` giving line, column, field and message.',
        consumes: ['application/json', ...DOCUMENT_MEDIA_TYPES],
        querystring: importQuerySchema,
        body: importBodySchema,
        response: { 201: routingTableVersionSchema, ...errorResponses },
      },
      handler: async (request, reply) => {
        const { content, activate } = readDocumentImport(request.body, request.query);
        const version = await importRoutingTable(ctx, actorOf(request), content, { activate });
        return reply.code(201).send(version);
      },
    });

    r.get('/routing-tables/export', {
      config: { policy: { action: 'export', resource: 'routing_table' } },
      schema: {
        tags,
        summary: 'The source text of the active routing table',
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
        const { version, sourceText } = await service.exportRoutingTable(ctx, actorOf(request));
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

    r.get('/routing-tables/:key/versions/:version', {
      config: { policy: { action: 'read', resource: 'routing_table' } },
      schema: {
        tags,
        summary: 'One routing table version with its source text and the parsed table',
        params: keyVersionParamsSchema,
        response: { 200: routingTableDetailSchema, ...errorResponses },
      },
      handler: (request) =>
        service.getRoutingTable(ctx, actorOf(request), request.params.key, request.params.version),
    });

    r.post('/routing-tables/:key/versions/:version/activate', {
      config: { policy: { action: 'update', resource: 'routing_table' } },
      schema: {
        tags,
        summary: 'Activate a version, retiring the active table (a no-op if already active)',
        params: keyVersionParamsSchema,
        response: { 200: routingTableVersionSchema, ...errorResponses },
      },
      handler: async (request) => {
        const { key, version } = request.params;
        return (await activateRoutingTable(ctx, actorOf(request), key, version)).version;
      },
    });

    r.get('/routing/resolve', {
      config: { policy: { action: 'read', resource: 'routing_table' } },
      schema: {
        tags,
        summary: 'Preview who would review and approve an invoice on a matter for an amount',
        description:
          'Uses the active routing table, or the built-in route (billing coordinator reviews, ' +
          'responsible attorney approves) when none is active. A matter the caller may not see ' +
          'answers 404.',
        querystring: resolveQuerySchema,
        response: { 200: stageOwnersSchema, ...errorResponses },
      },
      handler: (request) =>
        previewStageOwners(ctx, actorOf(request), request.query.matter_code, request.query.amount),
    });
  });
};
