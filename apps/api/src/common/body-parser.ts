import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ErrorBody } from './error-response';
import { findRefused, findRefusedInTarget, type Refusal } from './forbidden-keys';

const refused = (res: Response, refusal: Refusal) => {
  const body: ErrorBody = {
    error: {
      code: 'validation_failed',
      message: 'request is invalid',
      details: { fields: [{ field: refusal.path.replace(/^body\./, ''), message: refusal.message }] },
    },
  };
  res.status(400).json(body);
};

/**
 * JSON bodies (and text/plain ones) up to `limit` bytes (also gzip- or deflate-encoded). What no later layer can handle is
 * refused here, before any controller, in the same JSON error shape as everything else: a request
 * target or body holding NUL characters, lone surrogates or invalid percent-encoding, forbidden keys,
 * absurd nesting, and bodies that cannot be read (corrupt or truncated compression, bad JSON).
 */
export function useJsonBodies(app: NestExpressApplication, limit: number): void {
  app.use((req: Request, res: Response, next: NextFunction) => {
    const refusal = findRefusedInTarget(req.originalUrl);
    if (refusal) return refused(res, refusal);
    next();
  });
  // TAXII reads its own bodies (its media type, its limit, its error resources): see taxii/taxii-body.ts.
  const json = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
  app.use(
    express.json({
      limit,
      strict: true,
      type: (req) => !(req.url ?? '').startsWith('/taxii2/') && json.test(String(req.headers['content-type'] ?? '')),
    }),
  );
  // Text files (a watchlist import): read as UTF-8 text up to the same limit.
  app.use(express.text({ limit, type: 'text/plain', defaultCharset: 'utf-8' }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const refusal = findRefused(req.body);
    if (refusal) return refused(res, refusal);
    next();
  });
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = (error as { type?: unknown } | null)?.type;
    const status = (error as { status?: unknown } | null)?.status;
    const reply = (code: number, body: ErrorBody) => res.status(code).json(body);
    if (type === 'entity.too.large') {
      reply(413, { error: { code: 'payload_too_large', message: `request body is larger than ${limit} bytes` } });
    } else if (type === 'entity.parse.failed') {
      reply(400, {
        error: {
          code: 'validation_failed',
          message: 'request body is not valid JSON',
          details: { fields: [{ field: 'body', message: 'must be valid JSON' }] },
        },
      });
    } else if (type === 'encoding.unsupported') {
      reply(400, {
        error: {
          code: 'validation_failed',
          message: 'request body could not be read',
          details: { fields: [{ field: 'Content-Encoding', message: 'must be gzip, deflate or identity' }] },
        },
      });
    } else if (typeof type === 'string' || (typeof status === 'number' && status >= 400 && status < 500)) {
      // Includes corrupt or truncated compressed bodies (zlib errors carry a 400 status from the parser).
      reply(400, {
        error: {
          code: 'validation_failed',
          message: 'request body could not be read',
          details: { fields: [{ field: 'body', message: 'could not be decoded (corrupt or truncated?)' }] },
        },
      });
    } else {
      next(error);
    }
  });
}
