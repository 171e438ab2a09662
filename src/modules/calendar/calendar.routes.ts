import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth.js';
import type { RegisterRoutes } from '../../http/modules.js';
import { errorResponses } from '../../http/openapi.js';
import {
  holidayBodySchema,
  holidayListQuerySchema,
  holidayListSchema,
  holidayParamsSchema,
  holidaySchema,
} from './calendar.schemas.js';
import { addHoliday, listHolidays, removeHoliday } from './calendar.service.js';

const tags = ['calendar'];

export const calendarRoutes: RegisterRoutes = async (api, { ctx }) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/calendar/holidays', {
    config: { policy: { action: 'read', resource: 'firm_holiday' } },
    schema: {
      tags,
      summary: 'The firm’s holidays, which business-day SLAs skip',
      querystring: holidayListQuerySchema,
      response: { 200: holidayListSchema, ...errorResponses },
    },
    handler: async (request) => ({ items: await listHolidays(ctx, request.query) }),
  });

  r.post('/calendar/holidays', {
    config: { policy: { action: 'create', resource: 'firm_holiday' } },
    schema: {
      tags,
      summary: 'Add a holiday to the firm calendar',
      body: holidayBodySchema,
      response: { 201: holidaySchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await addHoliday(ctx, actorOf(request), request.body)),
  });

  r.delete('/calendar/holidays/:date', {
    config: { policy: { action: 'deactivate', resource: 'firm_holiday' } },
    schema: {
      tags,
      summary: 'Remove a holiday from the firm calendar',
      params: holidayParamsSchema,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await removeHoliday(ctx, actorOf(request), request.params.date);
      return reply.code(204).send(null);
    },
  });
};
