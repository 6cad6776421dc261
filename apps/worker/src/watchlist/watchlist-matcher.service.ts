import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import { watchHitsFound, type Incident, type SharingContext } from '@corridor/domain';
import { WatchHitsRepository, WatchIndex, WatchlistRepository } from '@corridor/persistence';
import { RealtimePublisher, planWatchlistHit, type PrincipalDirectory } from '@corridor/realtime';

/**
 * Tells organizations that a value they watch appeared in an incident. Runs after the incident's
 * indicators are indexed: its indicators' probes run against the watch index (a bounded number of
 * Redis reads, no store scan), each hit is recorded once (deterministic id) and announced to the
 * watching organization's readers until its announcement is confirmed, so a retried job announces
 * what a failed publish lost and nothing twice.
 */
@Injectable()
export class WatchlistMatcher {
  constructor(
    private readonly index: WatchIndex,
    private readonly watchlist: WatchlistRepository,
    private readonly hits: WatchHitsRepository,
    private readonly publisher: RealtimePublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * `incident` carries its normalized indicators (warnings included); `principals` names at least its
   * RED author and named people. Returns how many hits were found.
   */
  async match(incident: Incident, sharing: SharingContext, principals: PrincipalDirectory): Promise<number> {
    if (incident.indicators.length === 0) return 0;
    const rebuilt = await this.index.ensureReady(() => this.watchlist.streamIndexed());
    if (rebuilt === 'rebuilt')
      this.logger.warn({ incidentId: incident.id }, 'watch index was missing; rebuilt from the store');
    const findings = await this.index.match(incident.indicators);
    const found = watchHitsFound(incident, incident.indicators, findings, new Date());
    if (found.length === 0) return 0;
    const pending = await this.hits.recordAndFindUnannounced(found);
    for (const hit of pending) await this.publisher.publish(planWatchlistHit(hit, incident, sharing, principals));
    await this.hits.markAnnounced(pending.map((hit) => hit.id));
    this.logger.info(
      { incidentId: incident.id, orgIds: [...new Set(found.map((hit) => hit.orgId))], hits: found.length },
      'watched values found',
    );
    return found.length;
  }
}
