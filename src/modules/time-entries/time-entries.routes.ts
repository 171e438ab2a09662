import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.js';
import { idParamsSchema, versionBodySchema } from '../../http/fields.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  timeEntryCreateSchema,
  timeEntryListQuerySchema,
  timeEntryPageSchema,
  timeEntrySchema,
  timeEntryUpdateSchema,
  timeEntryWithFindingsSchema,
} from './time-entries.schemas.js';
import * as service from './time-entries.service.js';

const tags = ['time entries'];

export const timeEntryRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/time-entries', {
    config: { policy: { action: 'read', resource: 'time_entry' } },
    schema: {
      tags,
      summary: 'List the time entries you may see',
      querystring: timeEntryListQuerySchema,
      response: { 200: timeEntryPageSchema, ...errorResponses },
    },
    handler: (request) => service.listTimeEntries(ctx, actorOf(request), request.query),
  });

  r.get('/time-entries/:id', {
    config: { policy: { action: 'read', resource: 'time_entry' } },
    schema: {
      tags,
      summary: 'Get a time entry',
      params: idParamsSchema,
      response: { 200: timeEntrySchema, ...errorResponses },
    },
    handler: (request) => service.getTimeEntry(ctx, actorOf(request), request.params.id),
  });

  r.post('/time-entries', {
    config: { policy: { action: 'create', resource: 'time_entry' } },
    schema: {
      tags,
      summary: 'Record a draft time entry',
      body: timeEntryCreateSchema,
      response: { 201: timeEntryWithFindingsSchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await service.createTimeEntry(ctx, actorOf(request), request.body)),
  });

  r.patch('/time-entries/:id', {
    config: { policy: { action: 'update', resource: 'time_entry' } },
    schema: {
      tags,
      summary: 'Correct a time entry that is not billed (send the version you read)',
      params: idParamsSchema,
      body: timeEntryUpdateSchema,
      response: { 200: timeEntryWithFindingsSchema, ...errorResponses },
    },
    handler: (request) =>
      service.updateTimeEntry(ctx, actorOf(request), request.params.id, request.body),
  });

  r.post('/time-entries/:id/deactivate', {
    config: { policy: { action: 'deactivate', resource: 'time_entry' } },
    schema: {
      tags,
      summary: 'Deactivate a time entry that is not billed',
      params: idParamsSchema,
      body: versionBodySchema,
      response: { 200: timeEntrySchema, ...errorResponses },
    },
    handler: (request) =>
      service.deactivateTimeEntry(ctx, actorOf(request), request.params.id, request.body.version),
  });

  r.post('/time-entries/:id/release', {
    config: { policy: { action: 'update', resource: 'time_entry' } },
    schema: {
      tags,
      summary:
        'Release a draft time entry to billing (409 RELEASE_BLOCKED while a block finding is open)',
      params: idParamsSchema,
      body: versionBodySchema,
      response: { 200: timeEntryWithFindingsSchema, ...errorResponses },
    },
    handler: (request) =>
      service.releaseTimeEntry(ctx, actorOf(request), request.params.id, request.body.version),
  });
};
