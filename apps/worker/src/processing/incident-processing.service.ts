import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import {
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
  CorrelationIndex,
  CorrelationsRepository,
  IncidentsRepository,
  OrganizationsRepository,
} from '@corridor/persistence';
import { RealtimePublisher, incidentRoom, orgRoom, roomsFor } from '@corridor/realtime';

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
    await this.alert(
      found.filter((c) => unalerted.has(c.id)),
      incident,
    );

    await this.incidents.setState(incident.id, 'correlated');
    await this.publisher.publish(
      [...roomsFor(audienceOf(incident)), incidentRoom(incident.id)],
      'incident.correlated',
      {
        incidentId: incident.id,
        state: 'correlated',
        correlations: found.length,
      },
    );
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
    await this.publisher.publish([orgRoom(incident.orgId), incidentRoom(incidentId)], 'incident.failed', {
      incidentId,
      state: 'failed',
      reason,
    });
  }

  /** One alert per side of each correlation, worded for the organization that receives it. */
  private async alert(correlations: Correlation[], incident: Incident): Promise<void> {
    if (correlations.length === 0) return;
    const incidents = await this.incidents.findByIds(correlations.map((c) => c.earlier.incidentId));
    incidents.set(incident.id, incident);
    const orgs = await this.organizations.findByIds([...incidents.values()].map((i) => i.orgId));
    for (const correlation of correlations) {
      for (const side of [correlation.found, correlation.earlier]) {
        const { own, other } = sidesOf(correlation, side.incidentId);
        const counterpart = incidents.get(other.incidentId);
        const counterpartOrg = orgs.get(other.orgId);
        if (!counterpart) continue; // the other incident is gone from the store; nothing to tell
        await this.publisher.publish([orgRoom(own.orgId)], 'correlation.alert', {
          id: correlation.id,
          type: correlation.type,
          value: correlation.value,
          yourIncidentId: own.incidentId,
          counterpart: describeCounterpart(own.orgId, counterpart, {
            id: other.orgId,
            name: counterpartOrg?.name ?? 'unknown organization',
          }),
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
