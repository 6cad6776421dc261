import { Injectable } from '@nestjs/common';
import { canSee, notFound, type Principal } from '@corridor/domain';
import { CorrelationsRepository, IncidentsRepository, SharingDirectory } from '@corridor/persistence';
import { RuleAlerts } from '../alerting/usecases/rule-alerts.service';
import { CorrelationAcks } from './correlation-acks.service';

export interface Acknowledgement {
  id: string;
  yourIncidentId: string;
  acknowledged: { by: string; at: string };
}

/**
 * The person on call acknowledges a correlation alert for their organization (REST and socket).
 * Only a side of the correlation that may see its own incident can; the first acknowledgement of an
 * organization stands, and a repeat returns it unchanged (and announces nothing). The alerts the
 * organization's rules raised from the correlation are acknowledged with it, as acknowledging each
 * of them would (their escalation stops).
 */
@Injectable()
export class AcknowledgeAlert {
  constructor(
    private readonly correlations: CorrelationsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly sharing: SharingDirectory,
    private readonly acks: CorrelationAcks,
    private readonly ruleAlerts: RuleAlerts,
  ) {}

  async execute(principal: Principal, correlationId: string): Promise<Acknowledgement> {
    const correlation = await this.correlations.findById(correlationId);
    const own = [correlation?.found, correlation?.earlier].find((side) => side?.orgId === principal.orgId);
    if (!correlation || !own) throw notFound('correlation');
    const [incident, sharing] = await Promise.all([this.incidents.findById(own.incidentId), this.sharing.context()]);
    if (!incident || !canSee(sharing.viewerFor(principal), incident)) throw notFound('correlation');
    const ack = await this.acks.record(principal, correlation, incident, sharing);
    if (!ack) throw notFound('correlation');
    // Also on a repeat: it finishes what a call that failed half-way left triggered.
    await this.ruleAlerts.acknowledgeRaisedFrom(principal, correlationId);
    return {
      id: correlationId,
      yourIncidentId: own.incidentId,
      acknowledged: { by: ack.userId, at: ack.at.toISOString() },
    };
  }
}
