import type { Delivered, Incident, IncidentIndicator } from '../api/types';

export type IndicatorEnrichment = IncidentIndicator['enrichment'];

/**
 * The enrichment, also when the api leaves it out: an indicator with nothing to enrich (a hash, a
 * CVE, an AS number) may come without the field rather than with an empty one.
 */
export const enrichmentOf = (indicator: IncidentIndicator): IndicatorEnrichment =>
  (indicator as Partial<IncidentIndicator>).enrichment ?? {};

/**
 * Where the address is, from the offline data sets (README, Enrichment): `country` an ISO 3166-1
 * alpha-2 code (NRO statistics), `asn` and `asOrg` the announcing autonomous system (RouteViews,
 * DB-IP, NRO). Each is absent when the data says nothing of it.
 */
export function networkFacts(indicator: IncidentIndicator): { country?: string; asn?: number; asOrg?: string } {
  const { country, asn, asOrg } = enrichmentOf(indicator);
  return {
    ...(country !== undefined ? { country } : {}),
    ...(asn !== undefined ? { asn } : {}),
    ...(asOrg !== undefined ? { asOrg } : {}),
  };
}

/** A region's name in `language` ("Netherlands", "هولندا"); the code itself where the browser knows no name. */
export function regionName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    // A code Intl refuses (not two letters, not a region).
    return code;
  }
}

export type ProviderFieldValue = string | number | boolean | null;

/** One external provider's answer: its name, when it was obtained (ISO 8601), its mapped fields in name order. */
export interface ProviderAnswer {
  name: string;
  at: string;
  fields: Array<[string, ProviderFieldValue]>;
}

/** The external providers' answers on an indicator, by provider name; empty when none answered. */
export function providerAnswers(indicator: IncidentIndicator): ProviderAnswer[] {
  const providers = enrichmentOf(indicator).providers ?? {};
  return Object.keys(providers)
    .sort()
    .map((name) => ({
      name,
      at: providers[name].at,
      fields: Object.keys(providers[name].fields)
        .sort()
        .map((field): [string, ProviderFieldValue] => [field, providers[name].fields[field]]),
    }));
}

/** Which offline data sets' results the indicators show: each asks for its attribution where shown. */
export function attributionNeeded(indicators: readonly IncidentIndicator[]): { country: boolean; as: boolean } {
  const facts = indicators.map(networkFacts);
  return {
    country: facts.some((fact) => fact.country !== undefined),
    as: facts.some((fact) => fact.asn !== undefined || fact.asOrg !== undefined),
  };
}

/**
 * An `incident.enriched` event applied to the cached detail of its incident: each named indicator
 * (by type and value) takes the event's whole `enrichment`, as GET /api/v1/incidents/:id now reads;
 * the rest of the incident is kept as it is. Another incident's detail is returned unchanged.
 */
export function mergeEnriched(incident: Incident, event: Delivered<'incident.enriched'>): Incident {
  if (incident.id !== event.incidentId) return incident;
  const enriched = new Map(event.indicators.map((entry) => [`${entry.type}:${entry.value}`, entry.enrichment]));
  let changed = false;
  const indicators = incident.indicators.map((indicator) => {
    const enrichment = enriched.get(`${indicator.type}:${indicator.value}`);
    if (enrichment === undefined) return indicator;
    changed = true;
    return { ...indicator, enrichment };
  });
  return changed ? { ...incident, indicators } : incident;
}
