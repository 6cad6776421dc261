import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, createLogger, loadConfig } from '@corridor/config';
import { WorkerModule } from './worker.module';

/** The worker: BullMQ processors and the sweeper; no HTTP listener for users. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks();
  logger.info('worker started');
}

main().catch((error: unknown) => {
  process.stderr.write(`corridor worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
