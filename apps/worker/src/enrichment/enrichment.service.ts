import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, enrichmentProviders, type AppConfig, type ExternalProviderConfig } from '@corridor/config';
import {
  correlationKey,
  indicatorsFor,
  urlHost,
  withheldReason,
  type BreakerSettings,
  type Incident,
  type IncidentIndicator,
  type IndicatorEnrichment,
  type ProviderResult,
} from '@corridor/domain';
import { IncidentsRepository, Principals, SharingDirectory } from '@corridor/persistence';
import { JobProducer, type JobContext, type JobPayloads } from '@corridor/queue';
import { RealtimePublisher, planIncidentEnriched } from '@corridor/realtime';
import { EnrichmentState } from './enrichment-state';
import { IpFactsSource } from './ip-facts';
import { askProvider } from './provider-client';

/** A 429 without a usable Retry-After holds the provider's queue this long. */
const DEFAULT_RETRY_AFTER_MS = 1000;

/** The address an indicator's country and AS are looked up for: an IP, a CIDR's network address, a URL's IP host. */
export function addressOf(indicator: Pick<IncidentIndicator, 'type' | 'value'>): string | undefined {
  switch (indicator.type) {
    case 'ipv4':
    case 'ipv6':
      return indicator.value;
    case 'cidr':
      return indicator.value.slice(0, indicator.value.lastIndexOf('/'));
    case 'url': {
      try {
        const host = urlHost(indicator.value);
        return /^[\d.]+$/.test(host) || host.includes(':') ? host : undefined;
      } catch {
        return undefined;
      }
    }
    case 'domain':
    case 'email':
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
    case 'cve':
    case 'asn':
      return undefined;
  }
}

/**
 * Enrichment of correlated incidents, after their alerts: offline country and AS of addresses, then
 * each external provider's answer on the indicators it may receive, each stored on the indicator's
 * `enrichment` and announced as `incident.enriched`. Correlation never waits for any of it.
 */
@Injectable()
export class EnrichmentService {
  readonly providers: ReadonlyMap<string, ExternalProviderConfig>;
  private readonly breaker: BreakerSettings;

  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly sharing: SharingDirectory,
    private readonly principals: Principals,
    private readonly publisher: RealtimePublisher,
    private readonly jobs: JobProducer,
    private readonly state: EnrichmentState,
    private readonly ipFacts: IpFactsSource,
    @Inject(CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.providers = new Map(enrichmentProviders(config).map((provider) => [provider.descriptor.name, provider]));
    this.breaker = { failureThreshold: config.ENRICH_BREAKER_FAILURES, coolDownMs: config.ENRICH_BREAKER_COOLDOWN_MS };
  }

  /** Asks for an incident's enrichment; never throws (correlation is done and must not be undone). */
  async request(incidentId: string): Promise<void> {
    try {
      await this.jobs.enqueue('enrich-incident', { incidentId });
    } catch (error) {
      this.logger.warn({ incidentId, err: error }, 'enrichment not queued');
    }
  }

  /** Offline facts of the incident's addresses, then one job per provider and indicator it may receive. */
  async enrichIncident(incidentId: string): Promise<void> {
    const incident = await this.incidents.findById(incidentId);
    if (!incident || incident.state !== 'correlated') return;

    const facts = new Map<string, IndicatorEnrichment>();
    for (const indicator of incident.indicators) {
      const address = addressOf(indicator);
      if (address === undefined) continue;
      const found = await this.ipFacts.lookup(address);
      if (Object.keys(found).length > 0) facts.set(correlationKey(indicator), found);
    }
    if (facts.size > 0) {
      const result = await this.incidents.mergeEnrichment(incidentId, (indicator) => {
        const found = facts.get(correlationKey(indicator));
        if (!found) return undefined;
        const { enrichment } = indicator;
        const same =
          enrichment.country === found.country && enrichment.asn === found.asn && enrichment.asOrg === found.asOrg;
        return same ? undefined : { country: found.country, asn: found.asn, asOrg: found.asOrg };
      });
      if (result && result.changed.length > 0) await this.announce(result.incident, 'offline', result.changed);
    }

    for (const provider of this.providers.values()) {
      for (const indicator of indicatorsFor(incident.indicators, provider.descriptor)) {
        await this.jobs.enqueue('enrich-indicator', {
          incidentId,
          provider: provider.descriptor.name,
          key: correlationKey(indicator),
        });
      }
    }
  }

  /**
   * One provider's answer on one indicator: from the cache within its TTL, else asked (unless its
   * circuit breaker is open: the provider's queue then waits the cool-down). The PAP is checked again
   * here, against the incident as it is now: a PAP raised since the job was queued is obeyed.
   */
  async enrichIndicator(payload: JobPayloads['enrich-indicator'], context: JobContext): Promise<void> {
    const provider = this.providers.get(payload.provider);
    if (!provider) throw new UnrecoverableError(`enrichment provider ${payload.provider} is not configured`);
    const { name } = provider.descriptor;
    const incident = await this.incidents.findById(payload.incidentId);
    const indicator = incident?.indicators.find((candidate) => correlationKey(candidate) === payload.key);
    if (!incident || !indicator) return;
    const withheld = withheldReason(indicator, provider.descriptor);
    if (withheld !== undefined) {
      this.logger.info({ incidentId: incident.id, provider: name, withheld }, 'indicator withheld from provider');
      return;
    }

    let result = await this.state.cached(name, payload.key);
    if (!result) {
      const wait = await this.state.waitMs(name, this.breaker, Date.now());
      if (wait > 0) return context.rateLimited(wait);
      const outcome = await askProvider(provider, indicator);
      switch (outcome.kind) {
        case 'rate-limited':
          this.logger.info({ provider: name, retryAfterMs: outcome.retryAfterMs }, 'provider rate-limited us');
          return context.rateLimited(outcome.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS);
        case 'failed': {
          const breaker = await this.state.recordFailure(name, this.breaker, Date.now());
          if (breaker.openedAt !== null && breaker.failures >= this.breaker.failureThreshold)
            this.logger.warn({ provider: name, failures: breaker.failures }, 'provider circuit breaker open');
          throw new Error(`${name}: ${outcome.reason}`);
        }
        case 'refused':
          throw new UnrecoverableError(`${name}: ${outcome.reason}`);
        case 'ok':
          await this.state.recordSuccess(name);
          result = { at: new Date().toISOString(), fields: outcome.fields };
          await this.state.cache(name, payload.key, result, provider.descriptor.cacheTtlSeconds);
      }
    }

    const answer: ProviderResult = result;
    const merged = await this.incidents.mergeEnrichment(incident.id, (candidate) =>
      correlationKey(candidate) === payload.key
        ? { providers: { ...candidate.enrichment.providers, [name]: answer } }
        : undefined,
    );
    if (merged && merged.changed.length > 0) await this.announce(merged.incident, name, merged.changed);
  }

  private async announce(incident: Incident, source: string, changed: IncidentIndicator[]): Promise<void> {
    const [sharing, principals] = await Promise.all([this.sharing.context(), this.principals.of(incident)]);
    await this.publisher.publish(planIncidentEnriched(incident, source, changed, sharing, principals));
    this.logger.info({ incidentId: incident.id, source, indicators: changed.length }, 'incident enriched');
  }
}
