import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, GapEvent, ServerToClientEvents, SocketAuth } from '@corridor/realtime';
import { isNewerEventId } from './event-id';

export type ConnectionState = 'connecting' | 'resuming' | 'live' | 'reconnecting' | 'offline';
export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Where to resume: the greatest event id seen and the incidents joined, kept across reloads of the tab. */
interface ResumePoint {
  lastEventId?: string;
  incidents: string[];
}

const RETRY_MS = 2_000;

/**
 * The live feed over socket.io with resume: at every (re)connection the handshake's `auth` carries
 * the current access token, the greatest event id seen and the incidents joined, so the server
 * replays exactly what was missed. The resume point is written to sessionStorage under the user's id,
 * so a reload of the page resumes too. When the browser reports the network gone (`offline`), the
 * socket is closed at once rather than left to time out, and reopened (resuming) when it is back.
 */
export class LiveConnection {
  readonly socket: LiveSocket;
  private state: ConnectionState = 'connecting';
  private point: ResumePoint;
  private readonly listeners = new Set<() => void>();
  private readonly gapListeners = new Set<(gap: GapEvent) => void>();
  private retry: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private networkDown = false;

  constructor(
    private readonly storageKey: string,
    token: () => string | null,
  ) {
    this.point = readPoint(storageKey);
    this.socket = io({
      transports: ['websocket'],
      autoConnect: false,
      auth: (callback) => {
        const auth: SocketAuth = { token: token() ?? '', incidents: [...this.point.incidents] };
        if (this.point.lastEventId) auth.lastEventId = this.point.lastEventId;
        callback(auth);
      },
    });
    this.socket.on('connect', () => this.set('resuming'));
    this.socket.on('stream.resumed', ({ lastEventId }) => {
      if (lastEventId) this.remember(lastEventId);
      this.set('live');
    });
    this.socket.on('stream.gap', (gap) => {
      for (const listener of this.gapListeners) listener(gap);
    });
    this.socket.onAny((_event: string, payload: unknown) => {
      const eventId = (payload as { eventId?: unknown } | null)?.eventId;
      if (typeof eventId === 'string') this.remember(eventId);
    });
    this.socket.on('disconnect', (reason) => {
      this.set(this.closed || this.networkDown ? 'offline' : 'reconnecting');
      // The server closes a socket whose access token expired; come back with the renewed one.
      if (reason === 'io server disconnect') this.reconnectSoon();
    });
    this.socket.on('connect_error', () => {
      this.set('reconnecting');
      // A refusal by the server (e.g. an expired token) is not retried by the client itself.
      if (!this.socket.active) this.reconnectSoon();
    });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly current = (): ConnectionState => this.state;

  onGap(listener: (gap: GapEvent) => void): () => void {
    this.gapListeners.add(listener);
    return () => this.gapListeners.delete(listener);
  }

  open(): void {
    this.closed = false;
    this.networkDown = typeof navigator !== 'undefined' && navigator.onLine === false;
    window.addEventListener('offline', this.wentOffline);
    window.addEventListener('online', this.cameOnline);
    if (this.networkDown) return this.set('offline');
    this.set('connecting');
    this.socket.connect();
  }

  close(): void {
    this.closed = true;
    window.removeEventListener('offline', this.wentOffline);
    window.removeEventListener('online', this.cameOnline);
    clearTimeout(this.retry);
    this.socket.disconnect();
    this.set('offline');
  }

  private readonly wentOffline = (): void => {
    this.networkDown = true;
    clearTimeout(this.retry);
    this.socket.disconnect();
    this.set('offline');
  };

  private readonly cameOnline = (): void => {
    this.networkDown = false;
    if (this.closed || this.socket.connected) return;
    this.set('connecting');
    this.socket.connect();
  };

  /** Forget the resume point (on logout): the next person in this tab starts fresh. */
  forget(): void {
    this.point = { incidents: [] };
    sessionStorage.removeItem(this.storageKey);
  }

  /** Subscribe to an incident's detail events; remembered so a reconnection re-joins it. */
  join(incidentId: string): void {
    if (!this.point.incidents.includes(incidentId)) {
      this.point.incidents = [...this.point.incidents, incidentId];
      this.save();
    }
    if (this.socket.connected) this.socket.emit('incident.join', { incidentId }, () => undefined);
  }

  leave(incidentId: string): void {
    this.point.incidents = this.point.incidents.filter((id) => id !== incidentId);
    this.save();
    if (this.socket.connected) this.socket.emit('incident.leave', { incidentId }, () => undefined);
  }

  private remember(eventId: string): void {
    if (this.point.lastEventId && !isNewerEventId(eventId, this.point.lastEventId)) return;
    this.point.lastEventId = eventId;
    this.save();
  }

  private reconnectSoon(): void {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (!this.closed && !this.networkDown && !this.socket.connected) this.socket.connect();
    }, RETRY_MS);
  }

  private save(): void {
    sessionStorage.setItem(this.storageKey, JSON.stringify(this.point));
  }

  private set(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}

function readPoint(key: string): ResumePoint {
  try {
    const stored = JSON.parse(sessionStorage.getItem(key) ?? 'null') as Partial<ResumePoint> | null;
    return {
      lastEventId: typeof stored?.lastEventId === 'string' ? stored.lastEventId : undefined,
      incidents: Array.isArray(stored?.incidents) ? stored.incidents.filter((id) => typeof id === 'string') : [],
    };
  } catch {
    return { incidents: [] };
  }
}
