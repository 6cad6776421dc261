import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { PinoNestLogger, corsOrigins, createLogger, loadConfig, requireJwtSecret } from '@corridor/config';
import { AppModule } from './app.module';
import { useJsonBodies } from './common/body-parser';
import { createValidationPipe } from './common/validation.pipe';
import { serveDashboard, useSecurityHeaders } from './dashboard/serve-dashboard';
import { CorridorIoAdapter } from './realtime/io.adapter';

async function main(): Promise<void> {
  const config = loadConfig();
  requireJwtSecret(config);
  const logger = createLogger(config, 'api');
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  app.disable('x-powered-by');
  useSecurityHeaders(app);
  // Browsers may call the api only from the configured origins (none by default).
  app.enableCors({ origin: corsOrigins(config), credentials: false, maxAge: 600 });
  useJsonBodies(app, config.BODY_LIMIT_BYTES);
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(new CorridorIoAdapter(app, { origin: corsOrigins(config) }));
  app.enableShutdownHooks();

  const openapi = new DocumentBuilder()
    .setTitle('Corridor API')
    .setDescription('Incident coordination between partner CERTs and agencies, with TLP 2.0 enforced on every path.')
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'An API key (cor_…) or an access token from /api/v1/auth/login',
    })
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openapi), {
    jsonDocumentUrl: 'docs/openapi.json',
  });

  // The analysts' dashboard at `/` (built by `npm run build`); the api's own paths are left alone.
  if (!serveDashboard(app)) logger.warn('dashboard not built: only the api is served');

  await app.listen(config.PORT, config.HOST);
  logger.info({ port: config.PORT, host: config.HOST }, 'api listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`corridor api: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
