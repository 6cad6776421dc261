import { Injectable } from '@nestjs/common';
import {
  DomainError,
  indicatorDigest,
  mayReadRetraction,
  newRetraction,
  normalizeSubmitted,
  notFound,
  retractionId,
  type Incident,
  type IndicatorType,
  type Principal,
  type Retraction,
} from '@corridor/domain';
import { RetractionsRepository } from '@corridor/persistence';
import { JobProducer } from '@corridor/queue';
import { AuditService } from '../../../audit/audit.service';
import type { RetractIncidentDto, RetractIndicatorDto } from '../../dto/retract.dto';
import { invalid } from '../../incident-filters';
import { IncidentAccess } from '../../incident-access.service';

/**
 * A retraction as the API returns it: dates as ISO strings, and who was told as counts only (the
 * readers and endpoints told include partners the submitter may know only anonymously).
 */
export type RetractionBody = Omit<Retraction, 'at' | 'doneAt' | 'told' | 'restrictedTo'> & {
  at: string;
  doneAt: string | null;
  told: { readers: number; webhookEndpoints: number; emails: number };
};

export function retractionBody(retraction: Retraction): RetractionBody {
  const { told, restrictedTo: _restricted, ...rest } = retraction;
  return {
    ...rest,
    at: retraction.at.toISOString(),
    doneAt: retraction.doneAt?.toISOString() ?? null,
    told: { readers: told.readers.length, webhookEndpoints: told.webhookEndpointIds.length, emails: told.emails },
  };
}

/**
 * The submitting organization retracts an incident or one of its indicators: the tombstone is
 * recorded (its deterministic id makes a repeat return the first, `created` false), audited, and the
 * `retract` job carries it out (see the worker's RetractionService). The job is enqueued on every
 * call, so a repeat re-queues a job lost before it ran.
 */
@Injectable()
export class RetractIncident {
  constructor(
    private readonly access: IncidentAccess,
    private readonly retractions: RetractionsRepository,
    private readonly jobs: JobProducer,
    private readonly audit: AuditService,
  ) {}

  async incident(
    principal: Principal,
    id: string,
    dto: RetractIncidentDto,
  ): Promise<{ created: boolean; retraction: Retraction }> {
    const incident = await this.ownedOrRetracted(principal, id, retractionId(id));
    if ('retraction' in incident) return { created: false, retraction: incident.retraction };
    return this.record(principal, newRetraction({ incident, reason: dto.reason, by: principal.id, at: new Date() }));
  }

  async indicator(
    principal: Principal,
    id: string,
    dto: RetractIndicatorDto,
  ): Promise<{ created: boolean; retraction: Retraction }> {
    const { incident } = await this.access.requireOwner(principal, id);
    const indicator = this.storedIndicator(incident, dto.value, dto.type);
    const existing = await this.retractions.findById(retractionId(incident.id, indicatorDigest(indicator)));
    if (existing) return { created: false, retraction: existing };
    if (!indicator.stored) {
      throw new DomainError('not_found', 'the incident carries no such indicator', {
        fields: [{ field: 'value', message: 'not among the incident’s indicators (GET the incident to see them)' }],
      });
    }
    return this.record(
      principal,
      newRetraction({ incident, indicator, reason: dto.reason, by: principal.id, at: new Date() }),
    );
  }

  /** The retraction, for the organization that made it (404 for anyone else). */
  async get(principal: Principal, id: string): Promise<Retraction> {
    const retraction = /^retraction-[0-9a-f]{32}$/.test(id) ? await this.retractions.findById(id) : undefined;
    if (!retraction || !mayReadRetraction(retraction, principal)) throw notFound('retraction');
    return retraction;
  }

  private async record(
    principal: Principal,
    retraction: Retraction,
  ): Promise<{ created: boolean; retraction: Retraction }> {
    const outcome = await this.retractions.insertOrGetExisting(retraction);
    if (outcome.created) {
      await this.audit.record(principal, {
        action: retraction.scope === 'incident' ? 'incident.retract' : 'indicator.retract',
        target: { type: 'incident', id: retraction.incidentId },
        details: {
          retractionId: retraction.id,
          ...(retraction.indicator ? { indicator: retraction.indicator.digest } : {}),
        },
      });
    }
    await this.jobs.enqueue('retract', { retractionId: outcome.retraction.id });
    return outcome;
  }

  /** The caller's own incident, or (once it was removed) the retraction that removed it. */
  private async ownedOrRetracted(
    principal: Principal,
    id: string,
    existingId: string,
  ): Promise<Incident | { retraction: Retraction }> {
    const existing = await this.retractions.findById(existingId);
    if (existing && mayReadRetraction(existing, principal)) {
      // Re-queued: a job lost before it ran is carried out on the repeat.
      if (existing.state === 'pending') await this.jobs.enqueue('retract', { retractionId: existing.id });
      return { retraction: existing };
    }
    return (await this.access.requireOwner(principal, id)).incident;
  }

  /** The incident's indicator the value names, read as processing reads submitted values. */
  private storedIndicator(
    incident: Incident,
    value: string,
    type: IndicatorType | undefined,
  ): { type: IndicatorType; value: string; stored: boolean } {
    const { indicators, rejected } = normalizeSubmitted([{ raw: value, type, source: 'field' }], incident.pap);
    const read = indicators[0];
    if (!read) throw invalid('value', rejected[0]?.message ?? 'not an indicator');
    const stored = incident.indicators.some((i) => i.type === read.type && i.value === read.value);
    return { type: read.type, value: read.value, stored };
  }
}
