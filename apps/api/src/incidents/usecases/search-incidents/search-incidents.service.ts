import { Injectable } from '@nestjs/common';
import {
  correlationKey,
  indicatorWarnings,
  normalizeIndicator,
  visibilityFilter,
  type IndicatorWarning,
  type Principal,
} from '@corridor/domain';
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
  ): Promise<{ type: string; value: string; warnings: IndicatorWarning[]; items: IncidentListItem[] }> {
    const { viewer, sharing } = await this.access.viewerOf(principal);
    const normalized = normalizeIndicator(value);
    if (!normalized.ok) throw invalid('value', normalized.rejected.message);
    const visibility = visibilityFilter(viewer);
    const warnings = indicatorWarnings(normalized.indicator);
    // A warned value is not in the correlation index: the store is searched instead.
    const found =
      warnings.length > 0
        ? await this.incidents.findVisibleCarrying(normalized.indicator.value, visibility, SEARCH_LIMIT)
        : await this.incidents.findVisible(
            (await this.index.entriesOf(correlationKey(normalized.indicator))).map((e) => e.incidentId),
            visibility,
            SEARCH_LIMIT,
          );
    return {
      type: normalized.indicator.type,
      value: normalized.indicator.value,
      warnings,
      items: found.map((incident) => listItemOf(incident, viewer.orgId, sharing)),
    };
  }
}
