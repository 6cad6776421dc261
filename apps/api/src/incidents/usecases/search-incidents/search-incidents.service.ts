import { Injectable } from '@nestjs/common';
import {
  STRENGTH_OF_KIND,
  indicatorOfKey,
  indicatorWarnings,
  normalizeIndicator,
  planIncident,
  relationBetween,
  visibilityFilter,
  type CorrelationKind,
  type CorrelationStrength,
  type IndexedIndicator,
  type IndicatorWarning,
  type Principal,
} from '@corridor/domain';
import { CorrelationIndex, IncidentsRepository } from '@corridor/persistence';
import { IncidentAccess } from '../../incident-access.service';
import { invalid } from '../../incident-filters';
import { listItemOf, type IncidentListItem } from '../../incident.view';

const SEARCH_LIMIT = 200;

export type RelatedItem = IncidentListItem & {
  kind: CorrelationKind;
  strength: CorrelationStrength;
  indicator: IndexedIndicator;
};

/**
 * Incidents carrying an indicator (any form: defanged, upper-case…), among those the caller may
 * see: `items` carry the same value; `related` carry a value that correlates with it by another kind
 * (an address inside a searched range, a subdomain, a URL on a searched host…), with that value.
 */
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
  ): Promise<{
    type: string;
    value: string;
    warnings: IndicatorWarning[];
    items: IncidentListItem[];
    related: RelatedItem[];
  }> {
    const { viewer, sharing } = await this.access.viewerOf(principal);
    const normalized = normalizeIndicator(value);
    if (!normalized.ok) throw invalid('value', normalized.rejected.message);
    const searched = { type: normalized.indicator.type, value: normalized.indicator.value };
    const filter = visibilityFilter(viewer);
    const warnings = indicatorWarnings(normalized.indicator);
    if (warnings.length > 0) {
      // A warned value is not in the correlation index (and relates to nothing): the store is searched.
      const carrying = await this.incidents.findVisibleCarrying(searched.value, filter, SEARCH_LIMIT);
      return {
        ...searched,
        warnings,
        items: carrying.map((incident) => listItemOf(incident, viewer.orgId, sharing)),
        related: [],
      };
    }
    const [findings] = await this.index.lookup(planIncident([searched]));
    const exact = new Set<string>();
    const related = new Map<string, { kind: CorrelationKind; indicator: IndexedIndicator }>();
    for (const { probe, entries } of findings ?? []) {
      for (const entry of entries) {
        const indicator = indicatorOfKey(entry.key);
        const kind = relationBetween(searched, indicator, probe.op === 'alias');
        if (kind === 'exact') exact.add(entry.incidentId);
        else if (kind && !related.has(entry.incidentId)) related.set(entry.incidentId, { kind, indicator });
      }
    }
    exact.forEach((id) => related.delete(id));
    const [found, others] = await Promise.all([
      this.incidents.findVisible([...exact], filter, SEARCH_LIMIT),
      this.incidents.findVisible([...related.keys()], filter, SEARCH_LIMIT),
    ]);
    return {
      ...searched,
      warnings,
      items: found.map((incident) => listItemOf(incident, viewer.orgId, sharing)),
      related: others.flatMap((incident) => {
        const match = related.get(incident.id);
        if (!match) return [];
        return [
          {
            ...listItemOf(incident, viewer.orgId, sharing),
            kind: match.kind,
            strength: STRENGTH_OF_KIND[match.kind],
            indicator: match.indicator,
          },
        ];
      }),
    };
  }
}
