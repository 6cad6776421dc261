import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import type { AppConfig } from './config';

const REDACT = ['*.apiKey', '*.token', '*.password', '*.authorization', 'req.headers.authorization', 'apiKey', 'token'];

/** Structured JSON logs; `destination` 2 keeps stdout clean for command-line output. */
export function createLogger(config: Pick<AppConfig, 'LOG_LEVEL'>, name: string, destination: 1 | 2 = 1): Logger {
  return pino({ name, level: config.LOG_LEVEL, redact: REDACT }, pino.destination({ fd: destination, sync: true }));
}

/** Lets Nest's own messages go through pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
