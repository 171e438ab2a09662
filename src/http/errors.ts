import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorKind } from '../domain/errors.js';
import { AppError } from '../domain/errors.js';

/** The one table from error kinds to HTTP statuses. */
export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

/** The JSON body of every error response. */
export interface ErrorBody {
  code: string;
  message: string;
  details: unknown;
}

/** PostgreSQL errors that are the caller's fault, mapped without leaking SQL. */
function databaseError(error: unknown): AppError | null {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  const constraint = (error as { constraint?: string }).constraint;
  switch (code) {
    case '23505':
      return new AppError('conflict', 'DUPLICATE', 'A record with the same key already exists.', {
        constraint,
      });
    case '23503':
      return new AppError(
        'conflict',
        'REFERENCE_CONFLICT',
        'The record is referenced by or refers to a missing record.',
        { constraint },
      );
    case '23514':
    case '23502':
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
      return new AppError('validation', 'CONSTRAINT_VIOLATION', 'The values break a data rule.', {
        constraint,
      });
    default:
      return null;
  }
}

/** Fastify error handler: AppError → its status; schema errors → 400 with field paths; the rest → 500. */
export function handleError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error instanceof AppError) {
    void reply
      .code(STATUS_BY_KIND[error.kind])
      .send(body(error.code, error.message, error.details ?? null));
    return;
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      field: [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
      message: issue.message ?? 'is invalid',
    }));
    void reply.code(400).send(body('VALIDATION_FAILED', 'The request is not valid.', { issues }));
    return;
  }
  const mapped = databaseError(error);
  if (mapped) {
    void reply
      .code(STATUS_BY_KIND[mapped.kind])
      .send(body(mapped.code, mapped.message, mapped.details ?? null));
    return;
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    void reply.code(error.statusCode).send(body(error.code ?? 'BAD_REQUEST', error.message, null));
    return;
  }
  const correlationId = randomUUID();
  request.log.error({ err: error, correlationId }, 'unhandled error');
  void reply
    .code(500)
    .send(
      body(
        'INTERNAL',
        'Something went wrong on the server. Quote the correlation id when reporting it.',
        { correlationId },
      ),
    );
}

function body(code: string, message: string, details: unknown): ErrorBody {
  return { code, message, details };
}
