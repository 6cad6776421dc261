import { Injectable } from '@nestjs/common';
import { canSee, kindOf, notFound, type Principal } from '@corridor/domain';
import {
  CorrelationsRepository,
  FalsePositivesRepository,
  IncidentsRepository,
  SharingDirectory,
} from '@corridor/persistence';
import { AuditService } from '../audit/audit.service';

export interface FalsePositiveState {
  id: string;
  yourIncidentId: string;
  /** The caller's organization's mark on this pair of values, or null after an undo. */
  falsePositive: { by: string; at: string } | null;
}

/**
 * An analyst marks a correlation as a false positive for their organization, or takes the mark back.
 * The mark is on the pair of values (kind and both values), so it also silences later alerts of the
 * same pair for that organization. Only a side organization that may see its own incident can.
 */
@Injectable()
export class MarkFalsePositive {
  constructor(
    private readonly correlations: CorrelationsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly falsePositives: FalsePositivesRepository,
    private readonly sharing: SharingDirectory,
    private readonly audit: AuditService,
  ) {}

  async execute(principal: Principal, correlationId: string, mark: boolean): Promise<FalsePositiveState> {
    const correlation = await this.correlations.findById(correlationId);
    const own = [correlation?.found, correlation?.earlier].find((side) => side?.orgId === principal.orgId);
    if (!correlation || !own) throw notFound('correlation');
    const [incident, sharing] = await Promise.all([this.incidents.findById(own.incidentId), this.sharing.context()]);
    if (!incident || !canSee(sharing.viewerFor(principal), incident)) throw notFound('correlation');
    const target = { type: 'correlation', id: correlationId };
    const details = { kind: kindOf(correlation) };
    if (!mark) {
      if (await this.falsePositives.unmark(principal.orgId, correlation.key)) {
        await this.audit.record(principal, { action: 'correlation.false-positive.undo', target, details });
      }
      return { id: correlationId, yourIncidentId: own.incidentId, falsePositive: null };
    }
    const result = await this.falsePositives.mark({
      orgId: principal.orgId,
      key: correlation.key,
      correlationId,
      by: principal.id,
      at: new Date(),
    });
    if (result.created) await this.audit.record(principal, { action: 'correlation.false-positive', target, details });
    return {
      id: correlationId,
      yourIncidentId: own.incidentId,
      falsePositive: { by: result.mark.by, at: result.mark.at.toISOString() },
    };
  }
}
