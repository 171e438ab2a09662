import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import { decodeLedesFile, validateLedesText } from './ledes-file.js';
import { ledesFileBodySchema, ledesValidationSchema } from './ledes.schemas.js';

const tags = ['ledes'];

export const ledesRoutes: RegisterRoutes = async (api) => {
  // A scope of its own, so the raw text/plain parser below applies to these routes only.
  await api.register(async (scope) => {
    // The file is taken as bytes and decoded here (not by Fastify's UTF-8 text parser), so a
    // windows-1252 file keeps its characters and binary content is refused with a clear code.
    scope.removeContentTypeParser('text/plain');
    scope.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (_request, body, done) => {
      try {
        done(null, decodeLedesFile(body as Buffer));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.post('/ledes/validate', {
      // Validation stores and changes nothing, so a read-only API token may call it.
      config: { policy: { action: 'read', resource: 'ledes_file', scope: 'read' } },
      schema: {
        tags,
        summary: 'Validate a LEDES file before it goes to a client portal',
        description:
          'Checks structure, formats, required values, arithmetic, consistency and UTBMS codes, ' +
          'and lists every problem by line and field. Text that is not a LEDES file is answered ' +
          'with format null and an UNKNOWN_FORMAT error; UTF-16 or binary content with 400 ' +
          'LEDES_NOT_TEXT.',
        consumes: ['text/plain'],
        body: ledesFileBodySchema,
        response: { 200: ledesValidationSchema, ...errorResponses },
      },
      handler: (request) => validateLedesText(request.body),
    });
  });
};
