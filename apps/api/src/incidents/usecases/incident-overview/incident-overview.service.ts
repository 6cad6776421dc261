import { Injectable } from '@nestjs/common';
import { overviewOf, overviewStart, visibilityFilter, type Overview, type Principal } from '@corridor/domain';
import { IncidentsRepository } from '@corridor/persistence';
import { IncidentAccess } from '../../incident-access.service';

/**
 * Activity over the last `days` UTC days, computed only over the incidents the caller may see (the
 * store filters them by the visibility rule, as lists and counts do, and returns only the fields the
 * overview counts).
 */
@Injectable()
export class IncidentOverview {
  constructor(
    private readonly access: IncidentAccess,
    private readonly incidents: IncidentsRepository,
  ) {}

  async execute(principal: Principal, days: number): Promise<Overview> {
    const { viewer, sharing } = await this.access.viewerOf(principal);
    const now = new Date();
    const facts = await this.incidents.findOverviewFacts({
      visibility: visibilityFilter(viewer),
      since: overviewStart(now, days),
    });
    return overviewOf(facts, { now, days }, viewer.orgId, sharing);
  }
}
