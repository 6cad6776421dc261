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
import type { Server, Socket } from 'socket.io';
import { LOGGER } from '@corridor/config';
import { canSee, DomainError } from '@corridor/domain';
import { IncidentsRepository } from '@corridor/persistence';
import {
  PLATFORM_ROOM,
  incidentRoom,
  orgRoom,
  type ClientToServerEvents,
  type JoinReply,
  type ServerToClientEvents,
  type SocketData,
} from '@corridor/realtime';
import { ApiKeyService } from '../auth/api-key.service';

type AlertSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type AlertServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const refusal = (code: string, message: string): JoinReply => ({ ok: false, error: { code, message } });

/**
 * Live alerts. Sockets authenticate at the handshake (`auth: { token }`), land in their
 * organization's room and the platform room, and may join an incident's room only when the
 * visibility rule lets their organization see the incident.
 */
@Injectable()
@WebSocketGateway({ serveClient: false })
export class AlertsGateway implements OnGatewayInit, OnGatewayConnection {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly incidents: IncidentsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  afterInit(server: AlertServer): void {
    server.use((socket, next) => {
      const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
      this.keys
        .authenticate(typeof token === 'string' ? token : undefined)
        .then((principal) => {
          socket.data.orgId = principal.orgId;
          socket.data.keyId = principal.keyId;
          next();
        })
        .catch((error: unknown) => {
          const code = error instanceof DomainError ? error.code : 'unavailable';
          const failure = new Error(code === 'unauthorized' ? 'unauthorized' : 'unavailable') as Error & {
            data?: unknown;
          };
          failure.data = { code };
          next(failure);
        });
    });
  }

  async handleConnection(socket: AlertSocket): Promise<void> {
    await socket.join([orgRoom(socket.data.orgId), PLATFORM_ROOM]);
    this.logger.debug({ orgId: socket.data.orgId, socketId: socket.id }, 'socket connected');
  }

  @SubscribeMessage('incident.join')
  async join(@ConnectedSocket() socket: AlertSocket, @MessageBody() body: unknown): Promise<JoinReply> {
    const incidentId = readIncidentId(body);
    if (!incidentId) return refusal('validation_failed', 'incidentId is required');
    try {
      const incident = await this.incidents.findById(incidentId);
      if (!incident || !canSee({ orgId: socket.data.orgId }, incident))
        return refusal('not_found', 'incident not found');
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
