import { Inject, Injectable } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import { LOGGER } from '@corridor/config';
import { canSee, DomainError, hasScope } from '@corridor/domain';
import { IncidentsRepository } from '@corridor/persistence';
import {
  incidentRoom,
  orgRoom,
  principalRoom,
  sessionRoom,
  type ClientToServerEvents,
  type JoinReply,
  type ServerToClientEvents,
  type SocketData,
} from '@corridor/realtime';
import { AuthenticationService } from '../auth/authentication.service';
import { SharingService } from '../sharing/sharing.service';
import { RoomsService, type AlertServer } from './rooms.service';

type AlertSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const refusal = (code: string, message: string): JoinReply => ({ ok: false, error: { code, message } });

/**
 * Live alerts. Sockets authenticate at the handshake (`auth: { token }`: an API key or an access
 * token). A credential allowed to read alerts lands in its organization's room and its own
 * principal room; it may join an incident's room only when the visibility rule lets it see the
 * incident. Every event is addressed by the publisher to exactly the rooms the rule allows.
 */
@Injectable()
@WebSocketGateway({ serveClient: false })
export class AlertsGateway implements OnGatewayInit, OnGatewayConnection {
  constructor(
    private readonly authentication: AuthenticationService,
    private readonly incidents: IncidentsRepository,
    private readonly sharing: SharingService,
    private readonly rooms: RoomsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  afterInit(server: AlertServer): void {
    this.rooms.attach(server);
    server.use((socket, next) => {
      const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
      this.authentication
        .authenticate(typeof token === 'string' ? token : undefined)
        .then((principal) => {
          if (!hasScope(principal, 'alerts:read')) throw new DomainError('forbidden', 'alerts:read is required');
          socket.data.kind = principal.kind;
          socket.data.principalId = principal.id;
          socket.data.orgId = principal.orgId;
          socket.data.scopes = [...principal.scopes];
          socket.data.session = principal.session;
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

  async handleConnection(socket: AlertSocket): Promise<void> {
    const rooms = [orgRoom(socket.data.orgId), principalRoom(socket.data.principalId)];
    const session = socket.data.session;
    if (session) {
      rooms.push(sessionRoom(session.id));
      // An access token stops working when it expires; so does the connection opened with it.
      const timer = setTimeout(() => socket.disconnect(true), Math.max(0, session.expiresAt.getTime() - Date.now()));
      socket.once('disconnect', () => clearTimeout(timer));
    }
    await socket.join(rooms);
    this.logger.debug({ orgId: socket.data.orgId, socketId: socket.id }, 'socket connected');
  }

  @SubscribeMessage('incident.join')
  async join(@ConnectedSocket() socket: AlertSocket, @MessageBody() body: unknown): Promise<JoinReply> {
    const incidentId = readIncidentId(body);
    if (!incidentId) return refusal('validation_failed', 'incidentId is required');
    try {
      const [incident, sharing] = await Promise.all([this.incidents.findById(incidentId), this.sharing.context()]);
      const viewer = sharing.viewerFor({
        kind: socket.data.kind,
        id: socket.data.principalId,
        orgId: socket.data.orgId,
      });
      if (!incident || !canSee(viewer, incident)) return refusal('not_found', 'incident not found');
    } catch {
      return refusal('unavailable', 'a backing store is unavailable; retry later');
    }
    const room = incidentRoom(incidentId);
    await socket.join(room);
    return { ok: true, room };
  }

  @SubscribeMessage('incident.leave')
  async leave(@ConnectedSocket() socket: AlertSocket, @MessageBody() body: unknown): Promise<JoinReply> {
    const incidentId = readIncidentId(body);
    if (!incidentId) return refusal('validation_failed', 'incidentId is required');
    const room = incidentRoom(incidentId);
    await socket.leave(room);
    return { ok: true, room };
  }
}

function readIncidentId(body: unknown): string | undefined {
  const id = (body as { incidentId?: unknown } | null)?.incidentId;
  return typeof id === 'string' && id.length > 0 && id.length <= 100 ? id : undefined;
}
