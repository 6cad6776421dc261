import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import {
  JOBS,
  QUEUE_OPTIONS,
  bullPrefix,
  retroHuntJobs,
  taxiiSchedulerId,
  type JobName,
  type JobPayloads,
  type QueueOptions,
} from './jobs';

const WEEK_SECONDS = 7 * 24 * 3600;

/**
 * Enqueues any job of the job map under its deterministic id. Completed jobs are removed so that the
 * same id can be enqueued again (the sweeper re-enqueues unfinished work); failed ones are kept a
 * week for inspection.
 */
@Injectable()
export class JobProducer implements OnApplicationShutdown {
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();

  constructor(@Inject(QUEUE_OPTIONS) private readonly options: QueueOptions) {
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
    this.connection.on('error', () => undefined); // reported by the failing calls themselves
  }

  /**
   * Rejects when Redis did not take the job within the timeout; a late success is harmless thanks
   * to the job id.
   */
  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: { priority?: number; delayMs?: number; attempts?: number; backoffMs?: number } = {},
  ): Promise<void> {
    const definition = JOBS[name];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('enqueue timed out')), this.options.enqueueTimeoutMs);
    });
    try {
      await Promise.race([
        this.queueOf(definition.queueOf?.(payload) ?? definition.queue).add(name, payload, {
          jobId: definition.jobId(payload),
          ...(options.priority === undefined ? {} : { priority: options.priority }),
          ...(options.delayMs ? { delay: Math.max(0, Math.round(options.delayMs)) } : {}),
          // A kind of job with its own retry schedule (e-mail: MAIL_MAX_ATTEMPTS, MAIL_BACKOFF_MS).
          ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
          ...(options.backoffMs === undefined ? {} : { backoff: { type: 'exponential', delay: options.backoffMs } }),
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Enqueues a job a sweeper found missing: as `enqueue`, but a job of the same id that failed for
   * good (kept for inspection) is removed first, since BullMQ ignores an `add` whose id it still holds.
   */
  async requeue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: { attempts?: number; backoffMs?: number } = {},
  ): Promise<void> {
    const definition = JOBS[name];
    const queue = this.queueOf(definition.queueOf?.(payload) ?? definition.queue);
    const job = await queue.getJob(definition.jobId(payload));
    if (job && (await job.getState()) === 'failed') await job.remove().catch(() => undefined);
    await this.enqueue(name, payload, options);
  }

  /**
   * Removes a job not yet started (waiting or delayed), e.g. an escalation step made pointless by an
   * acknowledgement. A job already running is left alone (its handler re-checks the state).
   */
  async cancel<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void> {
    const definition = JOBS[name];
    const queue = this.queueOf(definition.queueOf?.(payload) ?? definition.queue);
    const job = await queue.getJob(definition.jobId(payload));
    if (!job) return;
    const state = await job.getState();
    if (state === 'delayed' || state === 'waiting' || state === 'prioritized')
      await job.remove().catch(() => undefined);
  }

  /**
   * Creates or changes the Job Scheduler that runs `name` with `payload` every `everyMs` milliseconds
   * (BullMQ ≥ 5.16: one scheduler per id; the next run is re-planned from the new interval).
   */
  async schedule<N extends JobName>(
    schedulerId: string,
    name: N,
    payload: JobPayloads[N],
    everyMs: number,
  ): Promise<void> {
    const definition = JOBS[name];
    await this.queueOf(definition.queueOf?.(payload) ?? definition.queue).upsertJobScheduler(
      schedulerId,
      { every: Math.max(1000, Math.round(everyMs)) },
      { name, data: payload },
    );
  }

  /** Removes a Job Scheduler (its next planned job too); nothing when there is none. */
  async unschedule(name: JobName, schedulerId: string): Promise<void> {
    await this.queueOf(JOBS[name].queue).removeJobScheduler(schedulerId);
  }

  private queueOf(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.connection,
        prefix: bullPrefix(this.options.redisPrefix),
        defaultJobOptions: {
          attempts: this.options.attempts,
          backoff: { type: 'exponential', delay: this.options.backoffMs },
          removeOnComplete: true,
          removeOnFail: { age: WEEK_SECONDS },
        },
      });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close().catch(() => undefined)));
    this.connection.disconnect();
  }
}

/** Incident processing, as the api and the sweeper ask for it. */
@Injectable()
export class IncidentQueueProducer {
  constructor(private readonly jobs: JobProducer) {}

  enqueue(incidentId: string): Promise<void> {
    return this.jobs.enqueue('process-incident', { incidentId });
  }
}

/** Retro-hunts of watch entries just added, as the api and the operator CLI ask for them. */
@Injectable()
export class RetroHuntProducer {
  constructor(private readonly jobs: JobProducer) {}

  /** Every entry in batches (see `retroHuntJobs`); rejects when Redis did not take a batch. */
  async enqueue(watchIds: readonly string[]): Promise<void> {
    for (const job of retroHuntJobs(watchIds))
      await this.jobs.enqueue('watch-retro-hunt', job.payload, { priority: job.priority });
  }
}

/** Webhook delivery attempts, as the api (tests, replays) and the worker (dispatch, retries) ask for them. */
@Injectable()
export class WebhookJobProducer {
  constructor(private readonly jobs: JobProducer) {}

  /** Attempt `attempt` of `round` of the delivery, after `delayMs` (0: now); rejects when Redis did not take it. */
  enqueue(deliveryId: string, round: number, attempt: number, delayMs = 0): Promise<void> {
    return this.jobs.enqueue('webhook-deliver', { deliveryId, round, attempt }, { delayMs });
  }
}

/** Pulls of partners' TAXII collections: each feed's schedule, and a pull asked for now. */
@Injectable()
export class TaxiiPullProducer {
  constructor(private readonly jobs: JobProducer) {}

  /** The feed is pulled every `everySeconds` seconds from now on. */
  schedule(feedId: string, everySeconds: number): Promise<void> {
    return this.jobs.schedule(taxiiSchedulerId(feedId), 'taxii-pull', { feedId }, everySeconds * 1000);
  }

  unschedule(feedId: string): Promise<void> {
    return this.jobs.unschedule('taxii-pull', taxiiSchedulerId(feedId));
  }

  /** One pull now (collapses with one already waiting). */
  pullNow(feedId: string): Promise<void> {
    return this.jobs.requeue('taxii-pull', { feedId });
  }
}
