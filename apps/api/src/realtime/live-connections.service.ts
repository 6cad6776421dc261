import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { canSee, unseenCounterpart, type CorrelationView, type SharingContext, type Viewer } from '@corridor/domain';
import { IncidentVisibility, SharingDirectory } from '@corridor/persistence';
import {
  CLIENT_EVENTS,
  EVENT_SCOPES,
  EventLog,
  RealtimePublisher,
  compareEventIds,
  isEventId,
  LOG_START,
  type ClientToServerEvents,
  type ControlMessage,
  type EventName,
  type PublishedEvent,
  type ServerToClientEvents,
  type SocketData,
  type StoredEvent,
} from '@corridor/realtime';

export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Events in flight while a socket replays what it missed: delivered after the replay, without duplicates. */
interface Connection {
  socket: LiveSocket;
  orgKey: string;
  principalKey: string;
  joined: Set<string>;
  /** Set while replaying: live events wait here. */
  buffer?: PublishedEvent[];
  /** The last event id this socket was given (or started after). */
  lastEventId: string | null;
}

/**
 * The live connections of this api instance, and the delivery of events to them.
 *
 * Every event published by any process (worker, any api instance) arrives once on the event channel
 * with a payload per reader (organization or principal). Each local socket gets the payload for its
 * principal if there is one, else the one for its organization, exactly once, with the event id; a
 * detail event (`scope: 'incident'`) only if the socket joined that incident.
 *
 * Resume: a socket that hands back the last event id it saw (at the handshake) is first given, in
 * order, what its reader streams hold after that id — each re-checked against the visibility rule
 * as it stands now — and then the live stream, with events that arrived meanwhile neither lost nor
 * repeated. A socket that gives no id starts at the newest event (told to it in `stream.resumed`).
 * When this instance's subscription to the channel drops, every local socket is resumed the same
 * way from its last event once it is back.
 */
@Injectable()
export class LiveConnections implements OnModuleInit, OnApplicationShutdown {
  private readonly connections = new Map<string, Connection>();
  private readonly byReader = new Map<string, Set<Connection>>();
  private readonly bySession = new Map<string, Set<Connection>>();
  private readonly log: EventLog;
  private subscriber?: Redis;
  private subscribedBefore = false;

  constructor(
    publisher: RealtimePublisher,
    private readonly visibility: IncidentVisibility,
    private readonly sharing: SharingDirectory,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.log = publisher.log;
  }

  onModuleInit(): void {
    const subscriber = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.logger.warn({ err: error }, 'live event subscription error'));
    subscriber.on('ready', () => {
      if (!this.subscribedBefore) {
        this.subscribedBefore = true;
        return;
      }
      // A reconnect: whatever was published while the subscription was down is in the streams. They
      // are read once the subscription is confirmed again, so nothing falls between the two.
      subscriber.subscribe(this.log.channel, this.log.controlChannel).then(
        () => this.resyncAll(),
        (error: unknown) => this.logger.warn({ err: error }, 'could not re-subscribe to live events'),
      );
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.log.channel) {
        const event = EventLog.decode(message);
        if (event) this.dispatch(event);
      } else if (channel === this.log.controlChannel) {
        this.control(message);
      }
    });
    subscriber.subscribe(this.log.channel, this.log.controlChannel).catch((error: unknown) => {
      this.logger.error({ err: error }, 'could not subscribe to live events');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
    return Promise.resolve();
  }

  /** How many sockets this instance holds (for /health and tests). */
  get size(): number {
    return this.connections.size;
  }

  /**
   * Registers a socket and starts its stream: from `lastEventId` when given (replaying what it
   * missed), else from the newest event. `incidents` are re-joined first so their detail events are
   * replayed too.
   */
  async open(socket: LiveSocket, resume: { lastEventId?: unknown; incidents?: unknown }): Promise<void> {
    const connection: Connection = {
      socket,
      orgKey: `o:${socket.data.orgId}`,
      principalKey: `p:${socket.data.principalId}`,
      joined: new Set(),
      buffer: [],
      lastEventId: null,
    };
    this.connections.set(socket.id, connection);
    for (const key of [connection.orgKey, connection.principalKey]) addTo(this.byReader, key, connection);
    if (socket.data.session) addTo(this.bySession, socket.data.session.id, connection);
    socket.once('disconnect', () => this.close(connection));
    // A client event nobody handles is answered, not left to time out.
    socket.onAny((name: string, ...args: unknown[]) => {
      if ((CLIENT_EVENTS as readonly string[]).includes(name)) return;
      const reply = args.at(-1);
      if (typeof reply === 'function') {
        (reply as (answer: unknown) => void)({
          ok: false,
          error: { code: 'unknown_event', message: `no client event ${name.slice(0, 100)}` },
        });
      }
    });

    const incidents = Array.isArray(resume.incidents)
      ? resume.incidents
          .filter((id): id is string => typeof id === 'string')
          .slice(0, this.config.SOCKET_MAX_JOINED_INCIDENTS)
      : [];
    for (const incidentId of incidents) {
      const outcome = await this.join(socket, incidentId).catch(() => 'refused' as const);
      if (outcome !== 'joined') this.logger.debug({ incidentId }, 'incident not re-joined on resume');
    }
    const given = resume.lastEventId;
    if (given !== undefined && given !== null && !isEventId(given)) {
      // Not an id this api issues: say so rather than silently starting at the newest event.
      socket.emit('stream.gap', { reason: 'unknown_event', oldestEventId: null });
    }
    await this.replay(connection, isEventId(given) ? given : undefined);
  }

  /**
   * Subscribes the socket to an incident's detail events when its principal may see the incident
   * now (no store query unless the incident is missing from the visibility cache).
   */
  async join(socket: LiveSocket, incidentId: string): Promise<'joined' | 'not_found' | 'too_many'> {
    const connection = this.connections.get(socket.id);
    if (!connection) return 'not_found';
    if (connection.joined.size >= this.config.SOCKET_MAX_JOINED_INCIDENTS && !connection.joined.has(incidentId)) {
      return 'too_many';
    }
    const [incident, sharing] = await Promise.all([
      this.visibility.resolve(incidentId, socket.data.principalId),
      this.sharing.context(),
    ]);
    if (!incident || !canSee(viewerOf(socket, sharing), incident)) return 'not_found';
    connection.joined.add(incidentId);
    return 'joined';
  }

  leave(socket: LiveSocket, incidentId: string): void {
    this.connections.get(socket.id)?.joined.delete(incidentId);
  }

  private close(connection: Connection): void {
    this.connections.delete(connection.socket.id);
    for (const key of [connection.orgKey, connection.principalKey]) removeFrom(this.byReader, key, connection);
    const session = connection.socket.data.session;
    if (session) removeFrom(this.bySession, session.id, connection);
  }

  /** Hands one published event to the local sockets it is for. */
  private dispatch(event: PublishedEvent): void {
    const targets = new Map<Connection, unknown>();
    // Organization payloads first, then principal ones over them: a principal's own payload wins.
    for (const pass of ['o:', 'p:']) {
      for (const [reader, payload] of event.payloads) {
        if (!reader.startsWith(pass)) continue;
        for (const connection of this.byReader.get(reader) ?? []) targets.set(connection, payload);
      }
    }
    for (const [connection, payload] of targets) {
      if (connection.buffer) connection.buffer.push(event);
      else this.deliver(connection, event.id, event.event, event.scope, event.incidentId, payload);
    }
  }

  private deliver(
    connection: Connection,
    id: string,
    event: EventName,
    scope: 'feed' | 'incident',
    incidentId: string | undefined,
    payload: unknown,
  ): boolean {
    if (connection.lastEventId !== null && compareEventIds(id, connection.lastEventId) <= 0) return false;
    connection.lastEventId = id;
    if (scope === 'incident' && (!incidentId || !connection.joined.has(incidentId))) return false;
    // What REST would refuse this credential, the socket does not receive either.
    if (!EVENT_SCOPES[event].every((needed) => connection.socket.data.scopes.includes(needed))) return false;
    const emit = connection.socket.emit.bind(connection.socket) as (name: string, body: unknown) => boolean;
    emit(event, { ...(payload as object), eventId: id });
    return true;
  }

  /**
   * Gives the connection what it missed after `after` (or starts it at the newest event), then the
   * events buffered meanwhile, then switches it to live delivery.
   */
  private async replay(connection: Connection, after: string | undefined): Promise<void> {
    connection.buffer ??= [];
    let replayed = 0;
    try {
      if (after === undefined) {
        connection.lastEventId = (await this.log.lastId()) ?? LOG_START;
      } else {
        const result = await this.log.readAfter([connection.orgKey, connection.principalKey], after);
        if (!result.ok) {
          connection.socket.emit('stream.gap', { reason: result.reason, oldestEventId: result.oldestEventId });
          connection.lastEventId = (await this.log.lastId()) ?? LOG_START;
        } else {
          connection.lastEventId = after;
          const events = await this.stillVisible(connection, chooseOnePerEvent(result.events, connection.principalKey));
          for (const event of events) {
            if (this.deliver(connection, event.id, event.event, event.scope, event.incidentId, event.payload))
              replayed++;
          }
        }
      }
    } catch (error) {
      this.logger.warn({ err: error, socketId: connection.socket.id }, 'could not replay live events');
      connection.socket.emit('stream.gap', { reason: 'beyond_window', oldestEventId: null });
    }
    connection.socket.emit('stream.resumed', { replayed, lastEventId: connection.lastEventId });
    const buffered = connection.buffer ?? [];
    connection.buffer = undefined;
    for (const event of buffered) {
      const payload = event.payloads.get(connection.principalKey) ?? event.payloads.get(connection.orgKey);
      this.deliver(connection, event.id, event.event, event.scope, event.incidentId, payload);
    }
  }

  /**
   * Events about incidents the reader may no longer see (TLP tightened, recipient removed) are
   * dropped; an alert whose other side the reader may no longer see tells of it only what its owner
   * discloses now, as REST does.
   */
  private async stillVisible(connection: Connection, events: StoredEvent[]): Promise<StoredEvent[]> {
    const counterpartOf = (event: StoredEvent): string | undefined => {
      if (event.event !== 'correlation.alert' && event.event !== 'watchlist.hit') return undefined;
      const counterpart = (event.payload as Pick<CorrelationView, 'counterpart'>).counterpart;
      return counterpart.disclosure === 'full' ? counterpart.incident.id : undefined;
    };
    const ids = [
      ...new Set(
        events.flatMap((e) => [e.incidentId, counterpartOf(e)]).filter((id): id is string => id !== undefined),
      ),
    ];
    if (ids.length === 0) return events;
    const [known, sharing] = await Promise.all([this.visibility.many(ids), this.sharing.context()]);
    const viewer = viewerOf(connection.socket, sharing);
    const visible: StoredEvent[] = [];
    for (const event of events) {
      if (event.incidentId !== undefined) {
        const incident = known.get(event.incidentId);
        if (!incident || !canSee(viewer, incident)) continue;
      }
      const otherId = counterpartOf(event);
      const other = otherId === undefined ? undefined : known.get(otherId);
      if (otherId !== undefined && (!other || !canSee(viewer, other))) {
        const alert = event.payload as Pick<CorrelationView, 'counterpart' | 'matched'>;
        const counterpart = other
          ? unseenCounterpart(other, connection.socket.data.orgId, sharing)
          : ({ disclosure: 'nothing' } as const);
        // `matched` is the other side's value: told only with the other side in full.
        visible.push({ ...event, payload: { ...alert, counterpart, matched: null } });
        continue;
      }
      visible.push(event);
    }
    return visible;
  }

  private resyncAll(): void {
    for (const connection of this.connections.values()) {
      if (connection.buffer) continue; // already replaying
      void this.replay(connection, connection.lastEventId ?? LOG_START);
    }
  }

  private control(message: string): void {
    let order: ControlMessage;
    try {
      order = JSON.parse(message) as ControlMessage;
    } catch {
      return;
    }
    switch (order.type) {
      case 'disconnect-principal':
        for (const connection of [...(this.byReader.get(`p:${order.principalId}`) ?? [])]) {
          connection.socket.disconnect(true);
        }
        return;
      case 'disconnect-session':
        for (const connection of [...(this.bySession.get(order.sessionId) ?? [])]) connection.socket.disconnect(true);
        return;
      case 'revalidate':
        void this.revalidate(order.incidentId).catch((error: unknown) =>
          this.logger.warn({ err: error }, 'could not re-check incident subscriptions'),
        );
        return;
    }
  }

  /** Drops subscriptions to incidents a socket may no longer see (one incident, or all after a sharing change). */
  private async revalidate(incidentId: string | undefined): Promise<void> {
    const affected = [...this.connections.values()].filter((c) =>
      incidentId === undefined ? c.joined.size > 0 : c.joined.has(incidentId),
    );
    if (affected.length === 0) return;
    const ids = incidentId ? [incidentId] : [...new Set(affected.flatMap((c) => [...c.joined]))];
    const [known, sharing] = await Promise.all([this.visibility.many(ids), this.sharing.context()]);
    let removed = 0;
    for (const connection of affected) {
      const viewer = viewerOf(connection.socket, sharing);
      for (const id of incidentId ? [incidentId] : [...connection.joined]) {
        const incident = known.get(id);
        if (incident && canSee(viewer, incident)) continue;
        connection.joined.delete(id);
        removed++;
      }
    }
    if (removed > 0) this.logger.info({ incidentId, removed }, 'incident subscriptions dropped after a sharing change');
  }
}

/** From an event stored under both the reader's organization and its principal, the principal's copy. */
function chooseOnePerEvent(events: StoredEvent[], principalKey: string): StoredEvent[] {
  const chosen = new Map<string, StoredEvent>();
  for (const event of events) {
    const held = chosen.get(event.id);
    if (!held || event.reader === principalKey) chosen.set(event.id, event);
  }
  return [...chosen.values()].sort((a, b) => compareEventIds(a.id, b.id));
}

function viewerOf(socket: LiveSocket, sharing: SharingContext): Viewer {
  return sharing.viewerFor({ kind: socket.data.kind, id: socket.data.principalId, orgId: socket.data.orgId });
}

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}
