import { Injectable } from '@nestjs/common';
import { correlationKey, normalizeIndicator, visibilityFilter, type Principal } from '@corridor/domain';
import { CorrelationIndex, IncidentsRepository } from '@corridor/persistence';
import { IncidentAccess } from '../../incident-access.service';
import { invalid } from '../../incident-filters';
import { listItemOf, type IncidentListItem } from '../../incident.view';

const SEARCH_LIMIT = 200;

/** Incidents carrying an indicator (any form: defanged, upper-case…), among those the caller may see. */
@Injectable()
export class SearchIncidents {
  constructor(
    private readonly access: IncidentAccess,
    private readonly incidents: IncidentsRepository,
    private readonly index: CorrelationIndex,
  ) {}

  async execute(
    principal: Principal,
    value: string,
  ): Promise<{ type: string; value: string; items: IncidentListItem[] }> {
    const { viewer, sharing } = await this.access.viewerOf(principal);
    const normalized = normalizeIndicator(value);
    if (!normalized.ok) throw invalid('value', normalized.rejected.message);
    const entries = await this.index.entriesOf(correlationKey(normalized.indicator));
    const found = await this.incidents.findVisible(
      entries.map((e) => e.incidentId),
      visibilityFilter(viewer),
      SEARCH_LIMIT,
    );
    return {
      type: normalized.indicator.type,
      value: normalized.indicator.value,
      items: found.map((incident) => listItemOf(incident, viewer.orgId, sharing)),
    };
  }
}
