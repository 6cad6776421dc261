import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import Redis from 'ioredis';
import { JOBS, bullPrefix, type JobName, type JobPayloads } from './jobs';

/** The one way to declare what runs a kind of job: the worker host does the rest. */
export interface JobHandler<N extends JobName> {
  readonly job: N;
  /** Throw to retry (attempts + exponential backoff); `UnrecoverableError` for a permanent failure. */
  handle(payload: JobPayloads[N], context: JobContext): Promise<void>;
  /** After the last attempt or a permanent failure, for handlers that record it somewhere. */
  onFinalFailure?(payload: JobPayloads[N], reason: string): Promise<void>;
}

export interface JobContext {
  jobId: string | undefined;
  attempt: number;
  /**
   * Holds the whole queue for `ms` milliseconds (a provider's Retry-After, an open circuit breaker)
   * and puts the job back to wait: it runs again afterwards without using an attempt. Always rejects,
   * with BullMQ's rate-limit error; return or throw it from `handle`.
   */
  rateLimited(ms: number): Promise<never>;
}

/** The few logger calls the host makes (pino's shape). */
export interface JobLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface JobWorkerOptions {
  redisUrl: string;
  redisPrefix: string;
  concurrency: number;
  logger: JobLogger;
  /** The queue to listen on, when the job kind has one per payload (see `JobDefinition.queueOf`). */
  queue?: string;
  /** At most `max` jobs per `duration` milliseconds, across every worker of the queue. */
  limiter?: { max: number; duration: number };
  /**
   * How long a running job's lock lasts without renewal (BullMQ's default: 30 s). A worker killed
   * mid-job leaves it active until the lock lapses and a stalled-job check (every half of this) puts
   * it back: short-lived jobs whose delay matters (escalation steps) use a shorter one.
   */
  lockDurationMs?: number;
}

const MAX_REASON = 500;

/**
 * Runs one handler on its queue: checks the untrusted payload against the job map (a bad one fails
 * for good), calls the handler, logs each failure and tells the handler of the final one.
 */
export class JobWorker<N extends JobName> {
  private readonly worker: Worker;
  private readonly queue: Queue;
  private readonly connection: Redis;

  constructor(
    private readonly handler: JobHandler<N>,
    private readonly options: JobWorkerOptions,
  ) {
    const definition = JOBS[handler.job];
    const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.connection = connection;
    const queue = options.queue ?? definition.queue;
    this.worker = new Worker(queue, (job) => this.run(job), {
      connection,
      prefix: bullPrefix(options.redisPrefix),
      concurrency: options.concurrency,
      ...(options.limiter ? { limiter: options.limiter } : {}),
      ...(options.lockDurationMs
        ? { lockDuration: options.lockDurationMs, stalledInterval: Math.ceil(options.lockDurationMs / 2) }
        : {}),
    });
    this.queue = new Queue(queue, { connection, prefix: bullPrefix(options.redisPrefix) });
    this.queue.on('error', () => undefined); // the worker reports connection errors
    this.worker.on('failed', (job, error) => void this.onFailed(job, error));
    this.worker.on('error', (error) => options.logger.error({ err: error }, 'queue connection error'));
    options.logger.info({ queue, job: handler.job, concurrency: options.concurrency }, 'worker listening');
  }

  /** Runs one job: the payload checked against the job map, then the handler. */
  async run(job: Pick<Job, 'id' | 'data' | 'attemptsMade'>): Promise<void> {
    const parsed = JOBS[this.handler.job].parse(job.data);
    if (!parsed.ok) throw new UnrecoverableError(parsed.message);
    await this.handler.handle(parsed.payload, {
      jobId: job.id,
      attempt: job.attemptsMade + 1,
      rateLimited: async (ms) => {
        await this.queue.rateLimit(Math.max(1, Math.ceil(ms)));
        throw Worker.RateLimitError();
      },
    });
  }

  private async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    const { logger } = this.options;
    logger.warn(
      { jobId: job.id, job: this.handler.job, data: job.data as unknown, attempt: job.attemptsMade, final, err: error },
      'job failed',
    );
    if (!final || !this.handler.onFinalFailure) return;
    const parsed = JOBS[this.handler.job].parse(job.data);
    if (!parsed.ok) return;
    try {
      await this.handler.onFinalFailure(parsed.payload, error.message.slice(0, MAX_REASON));
    } catch (recordError) {
      logger.error({ jobId: job.id, job: this.handler.job, err: recordError }, 'could not record the failure');
    }
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
    // BullMQ leaves a connection it was given open: a host that closes without exiting would keep it.
    this.connection.disconnect();
  }
}
