import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import {
  alertIncidentOf,
  watchHitsFound,
  watchHitsOfEntry,
  watchPlan,
  type Incident,
  type SharingContext,
  type WatchHit,
} from '@corridor/domain';
import {
  CorrelationIndex,
  DocumentLocks,
  IncidentsRepository,
  Principals,
  SharingDirectory,
  WatchHitsRepository,
  WatchIndex,
  WatchlistRepository,
} from '@corridor/persistence';
import { RealtimePublisher, planWatchlistHit, type PrincipalDirectory } from '@corridor/realtime';
import { AlertingService } from '../alerting/alerting.service';

/** Watch entries whose probes run in one index script. */
const LOOKUPS_PER_SCRIPT = 100;

/**
 * Tells organizations that a value they watch appeared in an incident, from both directions:
 * - `match`: an incident just indexed; its indicators' probes run against the watch index;
 * - `retroHunt`: entries just added; their probes run against the correlation index (incidents
 *   already processed).
 * Both are a bounded number of Redis reads, never a store scan. Each hit is recorded once
 * (deterministic id) and announced to the watching organization's readers until its announcement is
 * confirmed, under the hit's document lock, so a retried job announces what a failed publish lost and
 * nothing twice — and an incident processed while its value was being added, found from both sides,
 * is announced once.
 */
@Injectable()
export class WatchlistMatcher {
  constructor(
    private readonly watchIndex: WatchIndex,
    private readonly correlationIndex: CorrelationIndex,
    private readonly watchlist: WatchlistRepository,
    private readonly hits: WatchHitsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly sharing: SharingDirectory,
    private readonly principals: Principals,
    private readonly publisher: RealtimePublisher,
    private readonly locks: DocumentLocks,
    private readonly alerting: AlertingService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * `incident` carries its normalized indicators (warnings included); `principals` names at least its
   * RED author and named people. Returns how many hits were found.
   */
  async match(incident: Incident, sharing: SharingContext, principals: PrincipalDirectory): Promise<number> {
    if (incident.indicators.length === 0) return 0;
    const rebuilt = await this.watchIndex.ensureReady(() => this.watchlist.streamIndexed());
    if (rebuilt === 'rebuilt')
      this.logger.warn({ incidentId: incident.id }, 'watch index was missing; rebuilt from the store');
    const findings = await this.watchIndex.match(incident.indicators);
    const found = watchHitsFound(incident, incident.indicators, findings, new Date());
    await this.announce(found, new Map([[incident.id, incident]]), sharing, principals);
    return found.length;
  }

  /**
   * The incidents already indexed that new entries relate to (entries removed since: none): the
   * entries in one store read, their probes in a few index scripts.
   */
  async retroHunt(watchIds: readonly string[]): Promise<number> {
    const entries = await this.watchlist.findByIds(watchIds);
    if (entries.length === 0) return 0;
    await this.correlationIndex.ensureReady(() => this.incidents.streamIndexed());
    const now = new Date();
    const found: WatchHit[] = [];
    // A bounded script each: Redis serves nothing else while one runs.
    for (let i = 0; i < entries.length; i += LOOKUPS_PER_SCRIPT) {
      const batch = entries.slice(i, i + LOOKUPS_PER_SCRIPT);
      const findings = await this.correlationIndex.lookup(batch.map(watchPlan));
      batch.forEach((entry, j) => found.push(...watchHitsOfEntry(entry, findings[j] ?? [], now)));
    }
    if (found.length === 0) return 0;
    const incidents = await this.incidents.findByIds(found.map((hit) => hit.incidentId));
    const [sharing, principals] = await Promise.all([
      this.sharing.context(),
      this.principals.of(...incidents.values()),
    ]);
    await this.announce(found, incidents, sharing, principals);
    return found.length;
  }

  private async announce(
    found: readonly WatchHit[],
    incidents: ReadonlyMap<string, Incident>,
    sharing: SharingContext,
    principals: PrincipalDirectory,
  ): Promise<void> {
    // An incident gone from the store since it was indexed tells nothing; nor does an entry removed
    // while the index could not be told (the index is rebuilt from the store).
    const candidates = found.filter((hit) => incidents.has(hit.incidentId));
    if (candidates.length === 0) return;
    const entries = await this.watchlist.existing(candidates.map((hit) => hit.watchId));
    const hits = candidates.filter((hit) => entries.has(hit.watchId));
    if (hits.length === 0) return;
    const pending = await this.hits.recordAndFindUnannounced(hits);
    for (const hit of pending) {
      const incident = incidents.get(hit.incidentId);
      if (!incident) continue;
      // The incident's job and the entry's retro-hunt may find the same hit at once: one announces it.
      await this.locks.withLock('watch_hits', hit.id, async () => {
        if (await this.hits.isAnnounced(hit.id)) return;
        await this.publisher.publish(planWatchlistHit(hit, incident, sharing, principals));
        await this.hits.markAnnounced([hit.id]);
      });
    }
    // Every hit found (raising is idempotent), so a retry raises what a crash left out.
    await this.alerting.raise(
      hits.flatMap((hit) => {
        const incident = incidents.get(hit.incidentId);
        return incident
          ? [
              {
                kind: 'watchlist-hit' as const,
                id: `watch-hit:${hit.id}`,
                orgId: hit.orgId,
                watched: { type: hit.watched.type, value: hit.watched.value },
                incident: alertIncidentOf(incident),
              },
            ]
          : [];
      }),
      sharing,
      principals,
    );
    this.logger.info(
      {
        incidentIds: [...new Set(hits.map((hit) => hit.incidentId))].slice(0, 20),
        orgIds: [...new Set(hits.map((hit) => hit.orgId))].slice(0, 20),
        hits: hits.length,
        announced: pending.length,
      },
      'watched values found',
    );
  }
}
