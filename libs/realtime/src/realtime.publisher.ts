import type Redis from 'ioredis';
import type { DeliveryPlan } from './delivery-plan';
import { EventLog, type EventLogOptions } from './event-log';

/**
 * Orders to every api instance about live connections, from whichever process made the change (api,
 * worker, operator CLI): close a principal's or a login session's sockets, or re-check which
 * incidents each socket may stay subscribed to (after a change of TLP, recipients or communities).
 */
export type ControlMessage =
  | { type: 'disconnect-principal'; principalId: string }
  | { type: 'disconnect-session'; sessionId: string }
  | { type: 'revalidate'; incidentId?: string };

/**
 * Publishes events through Redis: each delivery plan goes into its readers' streams (for resume) and
 * out to every api instance, which hands each socket the payload worded for it. Resolves once Redis
 * took the event, rejects when it did not — a job that could not announce is retried instead of
 * silently losing the alert.
 */
export class RealtimePublisher {
  readonly log: EventLog;

  constructor(
    private readonly redis: Redis,
    options: EventLogOptions,
  ) {
    this.log = new EventLog(redis, options);
  }

  /**
   * Resolves with the event id (undefined when the plan had no reader). `onceKey`: publish at most
   * once per key (see `EventLog.append`).
   */
  async publish(plan: DeliveryPlan, options: { onceKey?: string } = {}): Promise<string | undefined> {
    return this.log.append(plan, options);
  }

  async control(message: ControlMessage): Promise<void> {
    await this.redis.publish(this.log.controlChannel, JSON.stringify(message));
  }
}
