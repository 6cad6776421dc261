import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import { canSee, type Incident, type SharingContext } from '@corridor/domain';
import {
  incidentRoom,
  principalRoom,
  sessionRoom,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '@corridor/realtime';

export type AlertServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Access to the socket server for services: re-checking who may stay in an incident's room. */
@Injectable()
export class RoomsService {
  private server?: AlertServer;

  attach(server: AlertServer): void {
    this.server = server;
  }

  /** Ends the live connections of a login session (logout, or a replayed refresh token), on every instance. */
  async disconnectSession(sessionId: string): Promise<void> {
    this.server?.in(sessionRoom(sessionId)).disconnectSockets(true);
    return Promise.resolve();
  }

  /** Ends the live connections of a user or an API key (e.g. a revoked key), on every instance. */
  async disconnectPrincipal(principalId: string): Promise<void> {
    this.server?.in(principalRoom(principalId)).disconnectSockets(true);
    return Promise.resolve();
  }

  /**
   * After a change of TLP or recipients: every socket (on any api instance) in the incident's room
   * that may no longer see the incident is removed from it. Returns how many were removed.
   */
  async revalidate(incident: Incident, sharing: SharingContext): Promise<number> {
    if (!this.server) return 0;
    const sockets = await this.server.in(incidentRoom(incident.id)).fetchSockets();
    let removed = 0;
    for (const socket of sockets) {
      const viewer = sharing.viewerFor({
        kind: socket.data.kind,
        id: socket.data.principalId,
        orgId: socket.data.orgId,
      });
      if (canSee(viewer, incident)) continue;
      socket.leave(incidentRoom(incident.id));
      removed++;
    }
    return removed;
  }
}
