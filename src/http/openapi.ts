import { z } from 'zod';

/** The error body every endpoint may return. */
export const errorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown(),
});

/** Error responses shared by every route, for the OpenAPI document. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
} as const;
