import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/**
 * Versioned documents (guidelines, routing tables) are imported as the text that was sent:
 * YAML or JSON, raw or wrapped in JSON `{ content, activate }`.
 */
export const DOCUMENT_MEDIA_TYPES = ['text/yaml', 'application/yaml', 'text/plain'] as const;

/** Lets a route scope take YAML bodies as strings; the source is kept byte for byte. */
export function acceptYamlDocuments(scope: FastifyInstance): void {
  scope.addContentTypeParser(
    ['text/yaml', 'application/yaml'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );
}

/** `?activate=true` for a raw-text import. */
export const documentImportQuerySchema = z.object({
  activate: z
    .enum(['true', 'false'])
    .optional()
    .describe('Activate the new version at once (for a raw-text body).'),
});

/** A raw document (text/yaml, application/yaml, text/plain) or JSON `{ content, activate }`. */
export function documentImportBodySchema(what: string) {
  return z.union([
    z.string().describe(`The ${what} document itself, YAML or JSON.`),
    z.object({
      content: z.string().describe(`The ${what} document, YAML or JSON, as text.`),
      activate: z.boolean().optional(),
    }),
  ]);
}

/** The document text and whether to activate it, from either import form. */
export function readDocumentImport(
  body: string | { content: string; activate?: boolean | undefined },
  query: { activate?: 'true' | 'false' | undefined },
): { content: string; activate: boolean } {
  const fromQuery = query.activate === 'true';
  return typeof body === 'string'
    ? { content: body, activate: fromQuery }
    : { content: body.content, activate: body.activate ?? fromQuery };
}
