import { Injectable } from '@nestjs/common';
import {
  DomainError,
  correlationKey,
  indicatorHistory,
  indicatorWarnings,
  normalizeIndicator,
  visibilityFilter,
  type IndicatorType,
  type Principal,
} from '@corridor/domain';
import { CorrelationIndex, IncidentsRepository, SharingDirectory, SightingsRepository } from '@corridor/persistence';

/** The most incidents one history counts; beyond it `truncated` says so. */
export const HISTORY_LIMIT = 1000;

export interface IndicatorHistoryView {
  type: IndicatorType;
  value: string;
  firstSeen: string | null;
  lastSeen: string | null;
  incidents: number;
  organizations: number;
  sightings: number;
  truncated: boolean;
}

/**
 * What the platform has seen of one indicator, counted over the incidents the caller may see only:
 * the incidents carrying the exact value come from the correlation index (a warned value, not
 * indexed, from the store), are filtered by the visibility rule REST lists use, and their sightings
 * of the value give first and last seen.
 */
@Injectable()
export class IndicatorHistory {
  constructor(
    private readonly sharing: SharingDirectory,
    private readonly incidents: IncidentsRepository,
    private readonly sightings: SightingsRepository,
    private readonly index: CorrelationIndex,
  ) {}

  async execute(principal: Principal, raw: string): Promise<IndicatorHistoryView> {
    const normalized = normalizeIndicator(raw);
    if (!normalized.ok)
      throw new DomainError('validation_failed', 'request is invalid', {
        fields: [{ field: 'value', message: normalized.rejected.message }],
      });
    const { type, value } = normalized.indicator;
    const viewer = (await this.sharing.context()).viewerFor(principal);
    const filter = visibilityFilter(viewer);
    const visible =
      indicatorWarnings(normalized.indicator).length > 0
        ? await this.incidents.findVisibleCarrying(value, filter, HISTORY_LIMIT + 1)
        : await this.incidents.findVisible(
            (await this.index.entriesOf(correlationKey({ type, value }))).map((entry) => entry.incidentId),
            filter,
            HISTORY_LIMIT + 1,
          );
    const counted = visible.slice(0, HISTORY_LIMIT);
    const sightings = await this.sightings.ofValue(
      counted.map((incident) => incident.id),
      value,
    );
    const history = indicatorHistory(counted, sightings);
    return {
      type,
      value,
      firstSeen: history.firstSeen?.toISOString() ?? null,
      lastSeen: history.lastSeen?.toISOString() ?? null,
      incidents: history.incidents,
      organizations: history.organizations,
      sightings: history.sightings,
      truncated: visible.length > HISTORY_LIMIT,
    };
  }
}
