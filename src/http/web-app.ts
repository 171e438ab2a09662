import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` puts the web app (the same place from `src/http` and `dist/http`). */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * Serves the built web app from `root` at `/`, when it has been built. Returns whether it is
 * served, so the caller can fall back to the plain landing page.
 */
export async function registerWebApp(app: FastifyInstance, root: string | null): Promise<boolean> {
  if (root === null || !existsSync(join(root, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // Hashed file names under /assets never change; index.html must be re-read on every visit.
    // (The Content-Security-Policy comes from buildApp's helmet, on every response.)
    setHeaders: (res, path) => {
      res.setHeader(
        'Cache-Control',
        /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  return true;
}

/** A browser asking for one of the web app's own pages (client routes such as /billing). */
export function isWebAppPage(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (path === '/api' || path.startsWith('/api/')) return false;
  // A missing file (/assets/x.js) is a 404, not the app.
  return !/\.[a-z0-9]+$/i.test(path);
}

/** Answers a client route with the app's index.html; the app then routes in the browser. */
export function sendWebApp(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
}
