import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import {
  SharingContext,
  audienceOf,
  correlationId,
  correlationKey,
  crossOrgMatches,
  describeCounterpart,
  normalizeSubmitted,
  sidesOf,
  type Correlation,
  type Incident,
} from '@corridor/domain';
import {
  CommunitiesRepository,
  CorrelationIndex,
  CorrelationsRepository,
  IncidentsRepository,
  OrganizationsRepository,
} from '@corridor/persistence';
import { RealtimePublisher, deliveriesFor, incidentRoom, orgRoom, ownerRooms, principalRoom } from '@corridor/realtime';

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
    private readonly organizations: OrganizationsRepository,
    private readonly communities: CommunitiesRepository,
    private readonly index: CorrelationIndex,
    private readonly publisher: RealtimePublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async process(incidentId: string): Promise<void> {
    const rebuilt = await this.index.ensureReady(() => this.incidents.streamIndexed());
    if (rebuilt === 'rebuilt')
      this.logger.warn({ incidentId }, 'correlation index was missing; rebuilt from the store');

    const incident = await this.incidents.findById(incidentId);
    if (!incident) throw new UnrecoverableError(`incident ${incidentId} does not exist`);
    if (incident.state === 'correlated' || incident.state === 'failed') return;

    const { indicators, rejected } = normalizeSubmitted(incident.submitted);
    await this.incidents.saveNormalized(incident.id, indicators, rejected);

    const own = { incidentId: incident.id, orgId: incident.orgId };
    const matches = await this.index.indexAndLookup(own, indicators.map(correlationKey));
    const byKey = new Map(indicators.map((indicator) => [correlationKey(indicator), indicator]));
    const found: Correlation[] = [];
    const createdAt = new Date();
    for (const match of matches) {
      const indicator = byKey.get(match.key);
      if (!indicator) continue;
      if (match.hot) this.logger.info({ incidentId, key: match.key }, 'hot value: indexed, not correlated pairwise');
      for (const other of crossOrgMatches(own, match.entries)) {
        found.push({
          id: correlationId(match.key, incident.id, other.incidentId),
          key: match.key,
          type: indicator.type,
          value: indicator.value,
          found: own,
          earlier: other,
          createdAt,
        });
      }
    }

    const unalerted = new Set(await this.correlations.recordAndFindUnalerted(found));
    const sharing = new SharingContext(await this.communities.all());
    await this.alert(
      found.filter((c) => unalerted.has(c.id)),
      incident,
      sharing,
    );

    await this.incidents.setState(incident.id, 'correlated');
    const audience = audienceOf(incident, sharing.peersOf(incident.orgId));
    const allOrgIds = audience.everyone ? (await this.organizations.list()).map((o) => o.id) : [];
    const rooms = [...deliveriesFor(audience, allOrgIds, incident.orgId).map((d) => d.room), incidentRoom(incident.id)];
    const counted = incident.tlp === 'RED' ? [principalRoom(incident.authorId)] : [orgRoom(incident.orgId)];
    const done = { incidentId: incident.id, state: 'correlated' } as const;
    await this.publisher.publish(counted, 'incident.correlated', { ...done, correlations: found.length });
    await this.publisher.publishExcept(rooms, counted, 'incident.correlated', done);
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
    await this.publisher.publish([...ownerRooms(incident), incidentRoom(incidentId)], 'incident.failed', {
      incidentId,
      state: 'failed',
      reason,
    });
  }

  /**
   * One alert per side of each correlation, to the people of that side who may see their own
   * incident, worded for that organization: the counterpart in full only if it may see it.
   */
  private async alert(correlations: Correlation[], incident: Incident, sharing: SharingContext): Promise<void> {
    if (correlations.length === 0) return;
    const incidents = await this.incidents.findByIds(correlations.map((c) => c.earlier.incidentId));
    incidents.set(incident.id, incident);
    const orgs = await this.organizations.findByIds([...incidents.values()].map((i) => i.orgId));
    for (const correlation of correlations) {
      for (const side of [correlation.found, correlation.earlier]) {
        const { own, other } = sidesOf(correlation, side.incidentId);
        const ownIncident = incidents.get(own.incidentId);
        const counterpart = incidents.get(other.incidentId);
        const counterpartOrg = orgs.get(other.orgId);
        if (!ownIncident || !counterpart || !counterpartOrg) continue; // gone from the store; nothing to tell
        await this.publisher.publish(ownerRooms(ownIncident), 'correlation.alert', {
          id: correlation.id,
          type: correlation.type,
          value: correlation.value,
          yourIncidentId: own.incidentId,
          counterpart: describeCounterpart(
            sharing.organizationViewer(own.orgId),
            counterpart,
            sharing.display(counterpartOrg, own.orgId, counterpart),
          ),
          createdAt: correlation.createdAt.toISOString(),
        });
      }
    }
    await this.correlations.markAlerted(
      correlations.map((c) => c.id),
      new Date(),
    );
  }
}
