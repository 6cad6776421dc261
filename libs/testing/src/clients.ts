import { io, type Socket } from 'socket.io-client';
import { compareEventIds, type ClientToServerEvents, type ServerToClientEvents } from '@corridor/realtime';

type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

/** A live client that records every event it receives, and the greatest event id it was given. */
export class RecordingClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly events: Array<{ event: EventName; payload: unknown }> = [];
  /** Where this client would resume from: the newest `eventId` or `stream.resumed.lastEventId` seen. */
  lastEventId: string | null = null;

  /** `resume`: the handshake's `lastEventId` and `incidents` (see SocketAuth). */
  constructor(
    baseUrl: string,
    token: string | undefined,
    resume: { lastEventId?: string | null; incidents?: string[] } = {},
  ) {
    const auth: Record<string, unknown> = token === undefined ? {} : { token };
    if (resume.lastEventId) auth.lastEventId = resume.lastEventId;
    if (resume.incidents) auth.incidents = resume.incidents;
    this.socket = io(baseUrl, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    this.socket.onAny((event: EventName, payload: unknown) => {
      this.events.push({ event, payload });
      const body = payload as { eventId?: unknown; lastEventId?: unknown } | undefined;
      const id = event === 'stream.resumed' ? body?.lastEventId : body?.eventId;
      if (typeof id === 'string' && (this.lastEventId === null || compareEventIds(id, this.lastEventId) > 0)) {
        this.lastEventId = id;
      }
    });
  }

  /** Resolves once the server finished replaying (every connection gets `stream.resumed`). */
  resumed(timeoutMs = 10_000): Promise<Payload<'stream.resumed'>> {
    return this.next('stream.resumed', () => true, timeoutMs);
  }

  /** Sends a client event and resolves with the server's reply. */
  request<E extends keyof ClientToServerEvents>(event: E, body: Parameters<ClientToServerEvents[E]>[0]): Promise<any> {
    return new Promise((resolve) => {
      const emit = this.socket.emit.bind(this.socket) as (name: string, ...args: unknown[]) => void;
      emit(event, body, resolve);
    });
  }

  /** Resolves when connected; rejects with the server's refusal. */
  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.connected) return resolve();
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', (error) => reject(error));
    });
  }

  /** Resolves with the first matching event, already received or arriving later. */
  next<E extends EventName>(
    event: E,
    match: (payload: Payload<E>) => boolean,
    timeoutMs = 10_000,
  ): Promise<Payload<E>> {
    const seen = this.received(event).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.offAny(listener);
        reject(new Error(`no ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (name: EventName, payload: unknown) => {
        if (name !== event || !match(payload as Payload<E>)) return;
        clearTimeout(timer);
        this.socket.offAny(listener);
        resolve(payload as Payload<E>);
      };
      this.socket.onAny(listener);
    });
  }

  received<E extends EventName>(event: E): Array<Payload<E>> {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as Payload<E>);
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** HTTP calls with an API key; the body comes back parsed. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text so a test can show it
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
