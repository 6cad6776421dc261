import { Injectable } from '@nestjs/common';
import type { Principal } from '@corridor/domain';
import { IncidentsRepository, type IncidentCounts } from '@corridor/persistence';
import type { ListIncidentsQuery } from '../../dto/list-incidents.query';
import { IncidentAccess } from '../../incident-access.service';
import { listFilters } from '../../incident-filters';

/** Counts over the incidents the caller may see; an invisible incident is never counted. */
@Injectable()
export class IncidentStats {
  constructor(
    private readonly access: IncidentAccess,
    private readonly incidents: IncidentsRepository,
  ) {}

  async execute(principal: Principal, query: ListIncidentsQuery): Promise<IncidentCounts> {
    const { viewer } = await this.access.viewerOf(principal);
    return this.incidents.count(listFilters(viewer, query, principal));
  }
}
