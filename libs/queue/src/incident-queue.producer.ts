import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import {
  INCIDENT_QUEUE,
  QUEUE_OPTIONS,
  bullPrefix,
  processJobId,
  type ProcessIncidentJob,
  type QueueOptions,
} from './jobs';

const WEEK_SECONDS = 7 * 24 * 3600;

/**
 * Enqueues incident processing. Completed jobs are removed so that the same deterministic id can be
 * enqueued again by the sweeper; failed ones are kept a week for inspection.
 */
@Injectable()
export class IncidentQueueProducer implements OnApplicationShutdown {
  private readonly queue: Queue<ProcessIncidentJob>;

  constructor(@Inject(QUEUE_OPTIONS) private readonly options: QueueOptions) {
    const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
    connection.on('error', () => undefined); // reported by the failing calls themselves
    this.queue = new Queue<ProcessIncidentJob>(INCIDENT_QUEUE, {
      connection,
      prefix: bullPrefix(options.redisPrefix),
      defaultJobOptions: {
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        removeOnComplete: true,
        removeOnFail: { age: WEEK_SECONDS },
      },
    });
    this.queue.on('error', () => undefined);
  }

  /**
   * Rejects when Redis did not take the job within the timeout. The incident is already stored as
   * pending, so the sweeper enqueues it later; a late success is harmless thanks to the job id.
   */
  async enqueue(incidentId: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('enqueue timed out')), this.options.enqueueTimeoutMs);
    });
    try {
      await Promise.race([this.queue.add('process', { incidentId }, { jobId: processJobId(incidentId) }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
  }
}
