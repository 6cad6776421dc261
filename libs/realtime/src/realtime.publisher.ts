import { Emitter } from '@socket.io/redis-emitter';
import type Redis from 'ioredis';
import type { ServerToClientEvents } from './events';
import { socketIoKey } from './rooms';

type EventName = keyof ServerToClientEvents;

/**
 * Publishes events through Redis; every api instance's socket.io adapter delivers them to its own
 * sockets in the named rooms. The caller decides the rooms with the visibility rule.
 *
 * The emitter fires Redis PUBLISH without awaiting it; the client handed to it here collects those
 * promises so `publish` resolves only once Redis took the message, and rejects when it did not —
 * a job that could not announce a correlation is retried instead of silently losing the alert.
 */
export class RealtimePublisher {
  private readonly emitter: Emitter<ServerToClientEvents>;
  private sent: Promise<unknown>[] = [];

  constructor(redis: Redis, redisPrefix: string) {
    const client = {
      publish: (channel: string, message: string | Buffer): Promise<number> => {
        const result = redis.publish(channel, message);
        this.sent.push(result);
        return result;
      },
    };
    this.emitter = new Emitter<ServerToClientEvents>(client, { key: socketIoKey(redisPrefix) });
  }

  async publish<E extends EventName>(
    rooms: string[],
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): Promise<void> {
    await this.publishExcept(rooms, [], event, ...args);
  }

  /** Like `publish`, skipping sockets that are also in one of `except` (they get their own version). */
  async publishExcept<E extends EventName>(
    rooms: string[],
    except: string[],
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): Promise<void> {
    if (rooms.length === 0) return;
    this.emitter
      .to(rooms)
      .except(except)
      .emit(event, ...args);
    const sent = this.sent;
    this.sent = [];
    await Promise.all(sent);
  }
}

/** Publishes one event per delivery, each payload worded for the delivery's organization. */
export async function publishWorded<E extends EventName>(
  publisher: RealtimePublisher,
  deliveries: ReadonlyArray<{ room: string; viewerOrgId: string }>,
  event: E,
  payloadFor: (viewerOrgId: string) => Parameters<ServerToClientEvents[E]>,
): Promise<void> {
  for (const delivery of deliveries) {
    await publisher.publish([delivery.room], event, ...payloadFor(delivery.viewerOrgId));
  }
}
