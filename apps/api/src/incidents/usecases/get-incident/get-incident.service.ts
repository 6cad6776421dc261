import { Injectable } from '@nestjs/common';
import type { Principal } from '@corridor/domain';
import { IncidentAccess } from '../../incident-access.service';
import { IncidentDetails } from '../../incident-details.service';
import type { IncidentDetail } from '../../incident.view';

/** One incident the caller may see; reads of AMBER and RED go into the owner's audit trail. */
@Injectable()
export class GetIncident {
  constructor(
    private readonly access: IncidentAccess,
    private readonly details: IncidentDetails,
  ) {}

  async execute(principal: Principal, id: string): Promise<IncidentDetail> {
    const { incident, viewer, sharing } = await this.access.requireVisible(principal, id);
    await this.access.recordRead(principal, incident, 'incident.read');
    return this.details.of(incident, viewer, sharing);
  }
}
