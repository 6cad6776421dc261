import { Inject, Injectable } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Server } from 'socket.io';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { DomainError, hasScope, type Principal } from '@corridor/domain';
import { REDIS_CLIENT } from '@corridor/persistence';
import type { ClientToServerEvents, JoinReply, Reply, ServerToClientEvents, SocketData } from '@corridor/realtime';
import { RuleAlerts } from '../alerting/usecases/rule-alerts.service';
import { AcknowledgeAlert } from '../alerts/acknowledge-alert';
import { AuthenticationService } from '../auth/authentication.service';
import { RequestContact } from '../disclosure/usecases/request-contact.service';
import { LiveConnections, type LiveSocket } from './live-connections.service';

type AlertServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const refusal = (code: string, message: string) => ({ ok: false as const, error: { code, message } });

/**
 * Live events. Sockets authenticate at the handshake (`auth: { token, lastEventId?, incidents? }`:
 * an API key or an access token, and where to resume). Each socket receives exactly the events the
 * delivery plans address to its principal or organization, worded for it (see LiveConnections); it
 * may subscribe to an incident's detail events only when the visibility rule lets it see the incident.
 * Client events are rate-limited per socket and per principal, so no socket can slow anyone else.
 */
@Injectable()
@WebSocketGateway({ serveClient: false })
export class AlertsGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly perSocket: RateLimiterMemory;
  private readonly perPrincipal: RateLimiterRedis;

  constructor(
    private readonly authentication: AuthenticationService,
    private readonly live: LiveConnections,
    private readonly acknowledgeAlert: AcknowledgeAlert,
    private readonly requestContact: RequestContact,
    private readonly ruleAlerts: RuleAlerts,
    @Inject(REDIS_CLIENT) redis: Redis,
    @Inject(CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.perSocket = new RateLimiterMemory({ points: config.SOCKET_EVENTS_PER_SECOND, duration: 1 });
    const principal = { points: config.PRINCIPAL_SOCKET_EVENTS_PER_SECOND, duration: 1 };
    this.perPrincipal = new RateLimiterRedis({
      ...principal,
      storeClient: redis,
      keyPrefix: `${config.REDIS_PREFIX}:rl:socket`,
      insuranceLimiter: new RateLimiterMemory(principal),
    });
  }

  afterInit(server: AlertServer): void {
    server.use((socket, next) => {
      const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
      this.authentication
        .authenticate(typeof token === 'string' ? token : undefined)
        .then((principal) => {
          if (!hasScope(principal, 'alerts:read') && !hasScope(principal, 'users:manage')) {
            throw new DomainError('forbidden', 'alerts:read (or users:manage, for account news) is required');
          }
          socket.data.kind = principal.kind;
          socket.data.principalId = principal.id;
          socket.data.orgId = principal.orgId;
          socket.data.scopes = [...principal.scopes];
          socket.data.roles = [...principal.roles];
          socket.data.session = principal.session;
          socket.data.expiresAt = principal.session?.expiresAt ?? principal.keyExpiresAt;
          next();
        })
        .catch((error: unknown) => {
          const code = error instanceof DomainError ? error.code : 'unavailable';
          const message =
            code === 'unauthorized' || code === 'forbidden' || code === 'rate_limited' ? code : 'unavailable';
          const failure = new Error(message) as Error & { data?: unknown };
          failure.data = { code };
          next(failure);
        });
    });
  }

  async handleConnection(socket: LiveSocket): Promise<void> {
    const expiresAt = socket.data.expiresAt;
    if (expiresAt) {
      // A credential stops working when it expires; so does the connection opened with it.
      const timer = setTimeout(() => socket.disconnect(true), Math.max(0, expiresAt.getTime() - Date.now()));
      socket.once('disconnect', () => clearTimeout(timer));
    }
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    await this.live.open(socket, { lastEventId: auth.lastEventId, incidents: auth.incidents });
    this.logger.debug({ orgId: socket.data.orgId, socketId: socket.id }, 'socket connected');
  }

  @SubscribeMessage('incident.join')
  async join(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<JoinReply> {
    return this.guarded(socket, async () => {
      const incidentId = readId(body, 'incidentId');
      if (!incidentId) return refusal('validation_failed', 'incidentId is required');
      if (!socket.data.scopes.includes('incidents:read')) return refusal('forbidden', 'incidents:read is required');
      const outcome = await this.live.join(socket, incidentId);
      if (outcome === 'too_many') return refusal('limit_exceeded', 'too many incidents joined; leave some first');
      if (outcome === 'not_found') return refusal('not_found', 'incident not found');
      return { ok: true, room: `incident:${incidentId}` };
    });
  }

  @SubscribeMessage('incident.leave')
  async leave(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<JoinReply> {
    return this.guarded(socket, () => {
      const incidentId = readId(body, 'incidentId');
      if (!incidentId) return Promise.resolve(refusal('validation_failed', 'incidentId is required'));
      this.live.leave(socket, incidentId);
      return Promise.resolve({ ok: true as const, room: `incident:${incidentId}` });
    });
  }

  /** The same use case as POST /api/v1/correlations/:id/ack. */
  @SubscribeMessage('correlation.ack')
  async acknowledge(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<Reply<{ acknowledged: unknown }>> {
    return this.guarded(socket, async () => {
      const id = readId(body, 'id');
      if (!id) return refusal('validation_failed', 'id is required');
      const principal = principalOf(socket);
      if (!hasScope(principal, 'alerts:ack')) return refusal('forbidden', 'alerts:ack is required');
      return { ok: true as const, acknowledged: await this.acknowledgeAlert.execute(principal, id) };
    });
  }

  /** The same use case as POST /api/v1/oncall/alerts/:id/ack. */
  @SubscribeMessage('alert.ack')
  async acknowledgeRuleAlert(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<Reply<{ alert: unknown }>> {
    return this.changeRuleAlert(socket, body, 'acknowledge');
  }

  /** The same use case as POST /api/v1/oncall/alerts/:id/resolve. */
  @SubscribeMessage('alert.resolve')
  async resolveRuleAlert(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<Reply<{ alert: unknown }>> {
    return this.changeRuleAlert(socket, body, 'resolve');
  }

  private changeRuleAlert(
    socket: LiveSocket,
    body: unknown,
    transition: 'acknowledge' | 'resolve',
  ): Promise<Reply<{ alert: unknown }>> {
    return this.guarded(socket, async () => {
      const id = readId(body, 'id');
      if (!id) return refusal('validation_failed', 'id is required');
      return { ok: true as const, alert: await this.ruleAlerts.change(principalOf(socket), id, transition) };
    });
  }

  /** The same use case as POST /api/v1/correlations/:id/contact. */
  @SubscribeMessage('correlation.contact')
  async contact(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<Reply<{ contact: unknown }>> {
    return this.guarded(socket, async () => {
      const id = readId(body, 'id');
      const yourIncidentId = readId(body, 'yourIncidentId');
      if (!id || !yourIncidentId) return refusal('validation_failed', 'id and yourIncidentId are required');
      const result = await this.requestContact.execute(principalOf(socket), id, yourIncidentId);
      return { ok: true as const, contact: result };
    });
  }

  /** Runs one client event under the per-socket and per-principal limits; errors become refusals. */
  private async guarded<T extends { ok: boolean }>(
    socket: LiveSocket,
    work: () => Promise<T | ReturnType<typeof refusal>>,
  ): Promise<T | ReturnType<typeof refusal>> {
    try {
      await this.perSocket.consume(socket.id);
      await this.perPrincipal.consume(socket.data.principalId);
    } catch (error) {
      if (error instanceof RateLimiterRes) return refusal('rate_limited', 'too many requests on this connection');
      return refusal('unavailable', 'a backing store is unavailable; retry later');
    }
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError) return refusal(error.code, error.message);
      this.logger.warn({ err: error, socketId: socket.id }, 'socket event failed');
      return refusal('unavailable', 'a backing store is unavailable; retry later');
    }
  }
}

function readId(body: unknown, field: string): string | undefined {
  const id = (body as Record<string, unknown> | null)?.[field];
  return typeof id === 'string' && id.length > 0 && id.length <= 100 && !id.includes('\0') ? id : undefined;
}

function principalOf(socket: LiveSocket): Principal {
  return {
    kind: socket.data.kind,
    id: socket.data.principalId,
    orgId: socket.data.orgId,
    scopes: socket.data.scopes,
    roles: socket.data.roles,
    session: socket.data.session,
  };
}
