import { Injectable } from '@nestjs/common';
import { sightingViewFor, type Principal, type SightingView } from '@corridor/domain';
import { SightingsRepository } from '@corridor/persistence';
import { IncidentAccess } from '../../incident-access.service';

/** Sightings of an incident the caller may see, oldest first, each reporter as the caller knows it. */
@Injectable()
export class ListSightings {
  constructor(
    private readonly access: IncidentAccess,
    private readonly sightings: SightingsRepository,
  ) {}

  async execute(principal: Principal, incidentId: string): Promise<SightingView[]> {
    const { incident, sharing } = await this.access.requireVisible(principal, incidentId);
    return (await this.sightings.forIncident(incidentId)).map((s) =>
      sightingViewFor(s, principal.orgId, sharing, incident),
    );
  }
}
