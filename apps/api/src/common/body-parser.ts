import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ErrorBody } from './error-response';
import { findForbiddenKey } from './forbidden-keys';

/**
 * JSON bodies up to `limit` bytes. Parser failures are answered here, in the same JSON error shape
 * as everything else, because they happen before Nest's exception filters can see the request.
 */
export function useJsonBodies(app: NestExpressApplication, limit: number): void {
  app.use(express.json({ limit, strict: true, type: ['application/json', 'application/*+json'] }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const path = findForbiddenKey(req.body);
    if (!path) return next();
    const body: ErrorBody = {
      error: {
        code: 'validation_failed',
        message: 'request body contains a forbidden key',
        details: {
          fields: [
            {
              field: path.replace(/^body\./, ''),
              message: 'keys starting with $ and __proto__/constructor/prototype are refused',
            },
          ],
        },
      },
    };
    res.status(400).json(body);
  });
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = (error as { type?: unknown } | null)?.type;
    const reply = (status: number, body: ErrorBody) => res.status(status).json(body);
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
    } else if (typeof type === 'string') {
      reply(400, { error: { code: 'validation_failed', message: 'request body could not be read' } });
    } else {
      next(error);
    }
  });
}
