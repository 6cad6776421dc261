import { Injectable } from '@nestjs/common';
import {
  timelineIds,
  type Correlation,
  type CorrelationAck,
  type Incident,
  type Principal,
  type SharingContext,
} from '@corridor/domain';
import { CorrelationsRepository, Principals } from '@corridor/persistence';
import { RealtimePublisher, planCorrelationAcknowledged } from '@corridor/realtime';
import { AuditService } from '../audit/audit.service';
import { TimelineRecorder } from '../timeline/timeline-recorder.service';

/**
 * Records the caller's organization's acknowledgement of a correlation. The first acknowledgement of
 * an organization stands; only the one this call made is audited, announced (`correlation.acknowledged`)
 * and put on the timeline of the organization's incident. No access check: the use cases that call it
 * have theirs (acknowledging the correlation itself, or a rule alert raised from it).
 */
@Injectable()
export class CorrelationAcks {
  constructor(
    private readonly correlations: CorrelationsRepository,
    private readonly principals: Principals,
    private readonly publisher: RealtimePublisher,
    private readonly audit: AuditService,
    private readonly timeline: TimelineRecorder,
  ) {}

  /** `incident` is the organization's own side of the correlation. */
  async record(
    principal: Principal,
    correlation: Correlation & { acks: CorrelationAck[] },
    incident: Incident,
    sharing: SharingContext,
  ): Promise<CorrelationAck | undefined> {
    // A repeat needs no write (nor the correlation's lock).
    const earlier = correlation.acks.find((ack) => ack.orgId === principal.orgId);
    if (earlier) return earlier;
    const at = new Date();
    const ack = await this.correlations.acknowledge(correlation.id, {
      orgId: principal.orgId,
      userId: principal.id,
      at,
    });
    if (!ack || ack.userId !== principal.id || ack.at.getTime() !== at.getTime()) return ack;
    await this.audit.record(principal, { action: 'alert.ack', target: { type: 'correlation', id: correlation.id } });
    const principals = await this.principals.of(incident);
    await this.publisher.publish(planCorrelationAcknowledged(correlation, incident, ack, principals));
    const entry = {
      id: timelineIds.acknowledged(incident.id, correlation.id),
      incidentId: incident.id,
      at: ack.at,
      actor: { orgId: ack.orgId, principalId: ack.userId },
      kind: 'acknowledged' as const,
      correlationId: correlation.id,
    };
    await this.timeline.record([entry], incident, sharing);
    return ack;
  }
}
