import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../config/context.js';
import { visibilityOf } from '../modules/field-visibility/field-visibility.service.js';
import { hasGuardedFields, maskFields } from './field-rules.js';

/** The zod schema a reply with this status code is serialized with, if it is JSON. */
function responseSchemaOf(request: FastifyRequest, statusCode: number): z.ZodType | null {
  const responses = (request.routeOptions.schema?.response ?? {}) as Record<string, unknown>;
  const schema =
    responses[String(statusCode)] ?? responses[`${String(statusCode)[0]}xx`] ?? responses.default;
  return schema instanceof z.ZodType ? schema : null;
}

/**
 * Applies field-level rules to every JSON response of the API whose schema has guarded fields:
 * the caller's visibility is read once per such request (one small query), then masked.
 */
export function registerFieldRules(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('preSerialization', async (request, reply, payload) => {
    if (!request.actor || payload === null || typeof payload !== 'object') return payload;
    const schema = responseSchemaOf(request, reply.statusCode);
    if (!schema || !hasGuardedFields(schema)) return payload;
    const visibility = await visibilityOf(ctx.db, request.actor);
    return maskFields(schema, payload, visibility);
  });
}
