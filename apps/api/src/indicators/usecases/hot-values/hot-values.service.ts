import { Injectable } from '@nestjs/common';
import { canSee, indicatorOfKey, type IndicatorType, type Principal, type Viewer } from '@corridor/domain';
import { CorrelationIndex, IncidentVisibility, SharingDirectory } from '@corridor/persistence';

/** Hot values examined per request at most, however few of them the caller may see. */
export const HOT_CANDIDATES = 1000;
/** Incident ids checked against the visibility cache per Redis read. */
const ID_CHUNK = 500;

export interface HotValuesView {
  threshold: number;
  items: Array<{ type: IndicatorType; value: string; incidents: number }>;
}

/**
 * Values over the hot threshold that the caller has met: only a value carried by at least one incident
 * the caller may see is listed (a value present only in incidents hidden from the caller would tell
 * what those incidents carry). Each is given with its platform-wide count, as the incident detail
 * gives `hot` on such an indicator. Visibility comes from the Redis cache of incidents' sharing (no
 * store scan); an incident missing from the cache counts as hidden.
 */
@Injectable()
export class HotValues {
  constructor(
    private readonly index: CorrelationIndex,
    private readonly visibility: IncidentVisibility,
    private readonly sharing: SharingDirectory,
  ) {}

  /** Up to `limit` values (1–200), most incidents first. */
  async execute(principal: Principal, limit: number): Promise<HotValuesView> {
    const viewer = (await this.sharing.context()).viewerFor(principal);
    const items: HotValuesView['items'] = [];
    for (const { key, incidents } of await this.index.hotValues(HOT_CANDIDATES)) {
      if (items.length >= limit) break;
      if (await this.seenBy(viewer, key)) items.push({ ...indicatorOfKey(key), incidents });
    }
    return { threshold: this.index.hotThreshold, items };
  }

  private async seenBy(viewer: Viewer, key: string): Promise<boolean> {
    const ids = (await this.index.entriesOf(key)).map((entry) => entry.incidentId);
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const sharing = await this.visibility.cached(ids.slice(i, i + ID_CHUNK));
      for (const incident of sharing.values()) if (canSee(viewer, incident)) return true;
    }
    return false;
  }
}
