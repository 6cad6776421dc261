import type { Logger } from 'pino';

/**
 * A sweep run every `intervalMs`, one run at a time: it re-creates work whose job was lost (Redis
 * emptied, a failed enqueue) from what the store says is due, and returns how many it re-created.
 * A failed run is logged and retried at the next interval; it never stops the worker.
 */
export class PeriodicSweep {
  private timer?: NodeJS.Timeout;
  private running = false;

  /** `what`: the log's words for what was re-created ("due escalation steps"). */
  constructor(
    private readonly what: string,
    private readonly run: () => Promise<number>,
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.once(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One run now (0 while another is running). */
  async once(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const count = await this.run();
      if (count > 0) this.logger.info({ count }, `re-enqueued ${this.what}`);
      return count;
    } catch (error) {
      this.logger.warn({ err: error }, `sweep of ${this.what} failed; next interval retries`);
      return 0;
    } finally {
      this.running = false;
    }
  }
}
