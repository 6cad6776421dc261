import { Injectable } from '@nestjs/common';
import { RealtimePublisher } from '@corridor/realtime';

/**
 * Changes that must take effect on live connections on every api instance, from any entry point:
 * published as control orders that each instance applies to its own sockets.
 */
@Injectable()
export class RoomsService {
  constructor(private readonly publisher: RealtimePublisher) {}

  /** Ends the live connections of a login session (logout, or a replayed refresh token). */
  disconnectSession(sessionId: string): Promise<void> {
    return this.publisher.control({ type: 'disconnect-session', sessionId });
  }

  /** Ends the live connections of a user or an API key (e.g. a revoked key). */
  disconnectPrincipal(principalId: string): Promise<void> {
    return this.publisher.control({ type: 'disconnect-principal', principalId });
  }

  /**
   * After a change of TLP or recipients (one incident) or of communities (all): sockets drop their
   * subscriptions to incidents they may no longer see. Events are planned per reader at publish
   * time, so nothing else needs re-checking.
   */
  revalidate(incidentId?: string): Promise<void> {
    return this.publisher.control({ type: 'revalidate', incidentId });
  }
}
