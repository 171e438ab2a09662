import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  utbmsCodeListSchema,
  utbmsCodeParamsSchema,
  utbmsCodeSchema,
  utbmsSearchQuerySchema,
} from './utbms.schemas.js';
import { getUtbmsCode, searchUtbmsCodes } from './utbms.service.js';

const tags = ['utbms'];

export const utbmsRoutes: RegisterRoutes = async (api) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/utbms/codes', {
    config: { policy: { action: 'read', resource: 'utbms_code' } },
    schema: {
      tags,
      summary: 'Search UTBMS task, activity and expense codes (for pickers)',
      querystring: utbmsSearchQuerySchema,
      response: { 200: utbmsCodeListSchema, ...errorResponses },
    },
    handler: (request) => searchUtbmsCodes(request.query),
  });

  r.get('/utbms/codes/:code', {
    config: { policy: { action: 'read', resource: 'utbms_code' } },
    schema: {
      tags,
      summary: 'Get a UTBMS code (case ignored)',
      params: utbmsCodeParamsSchema,
      response: { 200: utbmsCodeSchema, ...errorResponses },
    },
    handler: (request) => getUtbmsCode(request.params.code),
  });
};
