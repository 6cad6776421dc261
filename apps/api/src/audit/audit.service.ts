import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import type { AuditActor, AuditDetailValue, AuditOutcome, Principal } from '@corridor/domain';
import { AuditRepository } from '@corridor/persistence';

export interface AuditEvent {
  action: string;
  target: { type: string; id: string };
  outcome?: AuditOutcome;
  details?: Record<string, AuditDetailValue>;
  /** Whose trail: by default the actor's organization; reads of another's incident go to the owner's. */
  orgId?: string;
  /**
   * Recorded as this actor instead of the caller: for a record in another organization's trail that
   * must not name the caller (a brokered contact request before the owner accepted it).
   */
  recordedActor?: AuditActor;
}

/**
 * Appends to the per-organization audit chain. An action that already happened is not undone when
 * its record cannot be written; the failure is logged loudly instead.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly records: AuditRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async record(actor: Pick<Principal, 'kind' | 'id' | 'orgId'>, event: AuditEvent): Promise<void> {
    const orgId = event.orgId ?? actor.orgId;
    try {
      await this.records.append({
        orgId,
        actor: event.recordedActor ?? { type: actor.kind, id: actor.id, orgId: actor.orgId },
        action: event.action,
        target: event.target,
        outcome: event.outcome ?? 'success',
        details: event.details,
        at: new Date(),
      });
    } catch (error) {
      this.logger.error({ err: error, orgId, action: event.action }, 'audit record could not be written');
    }
  }
}
