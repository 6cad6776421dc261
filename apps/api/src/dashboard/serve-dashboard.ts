import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';

/** Paths that belong to the api, never to the dashboard. */
const API_PREFIXES = ['/api', '/docs', '/health', '/socket.io', '/taxii2'];

const isApiPath = (path: string) => API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

/**
 * The dashboard page's policy: every script, style, font and connection from this deployment only, no
 * inline script or style, no framing. `connect-src 'self'` also covers the same-origin websocket.
 */
const dashboardPolicy = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'font-src': ["'self'"],
      'img-src': ["'self'"],
      'connect-src': ["'self'"],
      'manifest-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
      'object-src': ["'none'"],
    },
  },
});

/**
 * Swagger UI at /docs: its own scripts and stylesheet from this deployment, plus the inline <style> and
 * data: images its page carries. Scoped to /docs only.
 */
const docsPolicy = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
      'object-src': ["'none'"],
    },
  },
});

/** Security headers: the strict policy everywhere (JSON answers included), Swagger's own under /docs. */
export function useSecurityHeaders(app: NestExpressApplication): void {
  app.use((request: Request, response: Response, next: NextFunction) =>
    (request.path === '/docs' || request.path.startsWith('/docs/') ? docsPolicy : dashboardPolicy)(
      request,
      response,
      next,
    ),
  );
}

/** Where `npm run build` puts the dashboard, relative to the compiled dist/apps/api/src/dashboard/. */
export const DASHBOARD_DIR = join(__dirname, '..', '..', '..', '..', 'dashboard');

/**
 * Serves the built dashboard at `/`: hashed assets cached for good, index.html (never cached) for every
 * other GET that is not an api path, so client routes survive a reload. Returns false when there is no
 * build to serve.
 */
export function serveDashboard(app: NestExpressApplication, dir = DASHBOARD_DIR): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  app.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  app.use((request: Request, response: Response, next: NextFunction) => {
    const page = (request.method === 'GET' || request.method === 'HEAD') && !isApiPath(request.path);
    // A missing asset falls through to the api's JSON 404, not to the page.
    if (!page || request.path.startsWith('/assets/')) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index, (error) => {
      if (error && !response.headersSent) next();
    });
  });
  return true;
}
