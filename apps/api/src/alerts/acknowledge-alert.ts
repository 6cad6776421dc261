import { Injectable } from '@nestjs/common';
import { canSee, notFound, timelineIds, type Principal } from '@corridor/domain';
import { CorrelationsRepository, IncidentsRepository, Principals, SharingDirectory } from '@corridor/persistence';
import { RealtimePublisher, planCorrelationAcknowledged } from '@corridor/realtime';
import { AuditService } from '../audit/audit.service';
import { TimelineRecorder } from '../timeline/timeline-recorder.service';

export interface Acknowledgement {
  id: string;
  yourIncidentId: string;
  acknowledged: { by: string; at: string };
}

/**
 * The person on call acknowledges a correlation alert for their organization (REST and socket).
 * Only a side of the correlation that may see its own incident can; the first acknowledgement of an
 * organization stands, and a repeat returns it unchanged (and announces nothing).
 */
@Injectable()
export class AcknowledgeAlert {
  constructor(
    private readonly correlations: CorrelationsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly principals: Principals,
    private readonly sharing: SharingDirectory,
    private readonly publisher: RealtimePublisher,
    private readonly audit: AuditService,
    private readonly timeline: TimelineRecorder,
  ) {}

  async execute(principal: Principal, correlationId: string): Promise<Acknowledgement> {
    const correlation = await this.correlations.findById(correlationId);
    const own = [correlation?.found, correlation?.earlier].find((side) => side?.orgId === principal.orgId);
    if (!correlation || !own) throw notFound('correlation');
    const [incident, sharing] = await Promise.all([this.incidents.findById(own.incidentId), this.sharing.context()]);
    if (!incident || !canSee(sharing.viewerFor(principal), incident)) throw notFound('correlation');
    const at = new Date();
    const ack = await this.correlations.acknowledge(correlationId, {
      orgId: principal.orgId,
      userId: principal.id,
      at,
    });
    if (!ack) throw notFound('correlation');
    // Only the acknowledgement this call made is audited and announced; a repeat changes nothing.
    if (ack.userId === principal.id && ack.at.getTime() === at.getTime()) {
      await this.audit.record(principal, { action: 'alert.ack', target: { type: 'correlation', id: correlationId } });
      const principals = await this.principals.of(incident);
      await this.publisher.publish(planCorrelationAcknowledged(correlation, incident, ack, principals));
      const entry = {
        id: timelineIds.acknowledged(incident.id, correlationId),
        incidentId: incident.id,
        at: ack.at,
        actor: { orgId: ack.orgId, principalId: ack.userId },
        kind: 'acknowledged' as const,
        correlationId,
      };
      await this.timeline.record([entry], incident, sharing);
    }
    return {
      id: correlationId,
      yourIncidentId: own.incidentId,
      acknowledged: { by: ack.userId, at: ack.at.toISOString() },
    };
  }
}
