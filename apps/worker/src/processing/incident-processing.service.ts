import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import {
  alertIncidentOf,
  correlates,
  correlationEvent,
  correlationsFound,
  normalizeSubmitted,
  planIncident,
  sidesOf,
  timelineIds,
  type Correlation,
  type Incident,
  type SharingContext,
  type TimelineEntry,
} from '@corridor/domain';
import {
  CorrelationIndex,
  CorrelationsRepository,
  FalsePositivesRepository,
  IncidentsRepository,
  Principals,
  SharingDirectory,
  TaxiiPublisher,
  TimelineRepository,
} from '@corridor/persistence';
import {
  RealtimePublisher,
  planCorrelationAlert,
  planIncidentCorrelated,
  planIncidentFailed,
  planTimelineEntry,
  type PrincipalDirectory,
} from '@corridor/realtime';
import { EnrichmentService } from '../enrichment/enrichment.service';
import { WatchlistMatcher } from '../watchlist/watchlist-matcher.service';
import { AlertingService } from '../alerting/alerting.service';

/**
 * normalize → enrich → correlate for one incident. Every step is idempotent: a retried or re-run
 * job rewrites the same normalized indicators, adds nothing twice to the index, finds the same
 * correlation ids, and only alerts for correlations whose alert was not yet confirmed.
 */
@Injectable()
export class IncidentProcessingService {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly correlations: CorrelationsRepository,
    private readonly falsePositives: FalsePositivesRepository,
    private readonly sharing: SharingDirectory,
    private readonly principals: Principals,
    private readonly index: CorrelationIndex,
    private readonly publisher: RealtimePublisher,
    private readonly timeline: TimelineRepository,
    private readonly enrichment: EnrichmentService,
    private readonly watchlist: WatchlistMatcher,
    private readonly alerting: AlertingService,
    private readonly taxii: TaxiiPublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async process(incidentId: string): Promise<void> {
    const rebuilt = await this.index.ensureReady(() => this.incidents.streamIndexed());
    if (rebuilt === 'rebuilt')
      this.logger.warn({ incidentId }, 'correlation index was missing; rebuilt from the store');

    const incident = await this.incidents.findById(incidentId);
    if (!incident) throw new UnrecoverableError(`incident ${incidentId} does not exist`);
    if (incident.state === 'correlated') {
      // A retry after a crash between the state and the timeline: record what is missing.
      await this.recordProcessingFromStore(incident.id);
      await this.taxii.publish(incident);
      await this.enrichment.request(incident.id);
      return;
    }
    if (incident.state === 'failed') return;

    const { indicators, rejected } = normalizeSubmitted(incident.submitted, incident.pap);
    await this.incidents.saveNormalized(incident.id, indicators, rejected);

    const own = { incidentId: incident.id, orgId: incident.orgId };
    // Warned indicators (private ranges, public resolvers…) are neither indexed nor looked up.
    const indexed = indicators.filter(correlates);
    const findings = await this.index.indexAndLookup(own, planIncident(indexed));
    for (const [i, probes] of findings.entries()) {
      for (const probe of probes.filter((p) => p.hot)) {
        const indicator = indexed[i];
        this.logger.info(
          { incidentId, type: indicator.type, probe: probe.probe.op, incidents: probe.size },
          'hot value: indexed, not correlated',
        );
      }
    }
    const found = correlationsFound(own, indexed, findings, new Date());

    const unalerted = new Set(await this.correlations.recordAndFindUnalerted(found));
    // Everything the announcements need, read once: the other sides, the sharing context, RED principals.
    const sides = await this.incidents.findByIds(found.map((c) => c.earlier.incidentId));
    const processed: Incident = { ...incident, indicators, rejectedIndicators: rejected, state: 'correlated' };
    sides.set(incident.id, processed);
    const [sharing, principals] = await Promise.all([this.sharing.context(), this.principals.of(...sides.values())]);
    // Organizations that marked a pair of values as a false positive are not alerted of it again.
    const suppressed = await this.falsePositives.organizationsSuppressing(
      found.map((c) => c.key),
      found.flatMap((c) => [c.found.orgId, c.earlier.orgId]),
    );
    await this.alert(
      found.filter((c) => unalerted.has(c.id)),
      suppressed,
      sides,
      sharing,
      principals,
    );
    await this.watchlist.match(processed, sharing, principals);
    // Rules see every correlation found (raising is idempotent), less the sides that marked it a false positive.
    await this.alerting.raise(
      [
        { kind: 'incident', id: `incident:${incident.id}`, incident: alertIncidentOf(processed) },
        ...found.map((c) => {
          const event = correlationEvent(c, sides);
          return { ...event, sides: event.sides.filter((side) => !suppressed.has(`${side.orgId}\n${c.key}`)) };
        }),
      ],
      sharing,
      principals,
    );

    await this.incidents.setState(incident.id, 'correlated');
    await this.publisher.publish(planIncidentCorrelated(incident, found.length, sharing, principals));
    // After the alerts and the state: enrichment follows as `incident.enriched`, never delays them.
    await this.enrichment.request(incident.id);
    // After the state, so the timeline adds nothing to the time an analyst's change can race processing.
    await this.recordProcessing(processed, found, sides, sharing, principals);
    // Last: TAXII collections (a store write under each collection's lock) delay nothing an analyst sees.
    await this.taxii.publish(processed);
    this.logger.info(
      {
        incidentId,
        orgId: incident.orgId,
        indicators: indicators.length,
        rejected: rejected.length,
        correlations: found.length,
      },
      'incident correlated',
    );
  }

  async markFailed(incidentId: string, reason: string): Promise<void> {
    const incident = await this.incidents.findById(incidentId);
    if (!incident) return;
    await this.incidents.setState(incidentId, 'failed', reason);
    const sharing = await this.sharing.context();
    const principals = await this.principals.of(incident);
    await this.publisher.publish(planIncidentFailed(incident, reason, sharing, principals));
    const entry: TimelineEntry = {
      id: timelineIds.failed(incident.id),
      incidentId: incident.id,
      at: new Date(),
      actor: null,
      kind: 'failed',
      reason,
    };
    await this.addToTimeline(entry, incident, sharing, principals);
  }

  /** A retry after the state was set: the timeline entries of processing, re-derived from the store. */
  private async recordProcessingFromStore(incidentId: string): Promise<void> {
    const incident = await this.incidents.findById(incidentId);
    if (!incident) return;
    const correlations = await this.correlations.findForIncident(incident.id);
    const incidents = await this.incidents.findByIds(correlations.map((c) => sidesOf(c, incident.id).other.incidentId));
    incidents.set(incident.id, incident);
    const [sharing, principals] = await Promise.all([
      this.sharing.context(),
      this.principals.of(...incidents.values()),
    ]);
    await this.recordProcessing(incident, correlations, incidents, sharing, principals);
  }

  /**
   * The timeline entries of processing: one `correlated` entry per side of each correlation, and
   * `processed`. Each entry is recorded once (deterministic ids) and announced when it is recorded,
   * each reader as REST words it. `incidents` holds the incident and the other sides.
   */
  private async recordProcessing(
    incident: Incident,
    correlations: readonly Correlation[],
    incidents: ReadonlyMap<string, Incident>,
    sharing: SharingContext,
    principals: PrincipalDirectory,
  ): Promise<void> {
    for (const correlation of correlations) {
      for (const side of [correlation.found, correlation.earlier]) {
        const { own, other } = sidesOf(correlation, side.incidentId);
        const ownIncident = incidents.get(own.incidentId);
        const otherIncident = incidents.get(other.incidentId);
        if (!ownIncident || !otherIncident) continue;
        const entry: TimelineEntry = {
          id: timelineIds.correlated(ownIncident.id, correlation.id),
          incidentId: ownIncident.id,
          at: correlation.createdAt,
          actor: null,
          kind: 'correlated',
          correlationId: correlation.id,
        };
        await this.addToTimeline(entry, ownIncident, sharing, principals, { correlation, other: otherIncident });
      }
    }
    const processed: TimelineEntry = {
      id: timelineIds.processed(incident.id),
      incidentId: incident.id,
      at: new Date(),
      actor: null,
      kind: 'processed',
      indicators: incident.indicators.length,
      rejected: incident.rejectedIndicators.length,
    };
    await this.addToTimeline(processed, incident, sharing, principals);
  }

  private async addToTimeline(
    entry: TimelineEntry,
    incident: Incident,
    sharing: SharingContext,
    principals: PrincipalDirectory,
    related?: { correlation: Correlation; other: Incident },
  ): Promise<void> {
    if (!(await this.timeline.add(entry))) return;
    await this.publisher.publish(planTimelineEntry(entry, incident, sharing, principals, related));
  }

  /**
   * One alert per side of each correlation, to the readers owning that side, each worded for its
   * reader by the one correlation rule (the other side in full only if that reader may see it,
   * otherwise what the other side's owner discloses).
   */
  private async alert(
    correlations: Correlation[],
    suppressed: ReadonlySet<string>,
    incidents: ReadonlyMap<string, Incident>,
    sharing: SharingContext,
    principals: PrincipalDirectory,
  ): Promise<void> {
    if (correlations.length === 0) return;
    for (const correlation of correlations) {
      for (const side of [correlation.found, correlation.earlier]) {
        if (suppressed.has(`${side.orgId}\n${correlation.key}`)) continue;
        const { own, other } = sidesOf(correlation, side.incidentId);
        const ownIncident = incidents.get(own.incidentId);
        const otherIncident = incidents.get(other.incidentId);
        if (!ownIncident || !otherIncident) continue; // gone from the store; nothing to tell
        await this.publisher.publish(
          planCorrelationAlert(correlation, ownIncident, otherIncident, sharing, principals),
        );
      }
    }
    await this.correlations.markAlerted(
      correlations.map((c) => c.id),
      new Date(),
    );
  }
}
