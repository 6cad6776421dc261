import type { IncidentIndicator, IncidentRejectedIndicator } from '../api/types';
import { k } from '../i18n/keys';
import { message, type Message } from '../ui/message';

/** Hosts and networks with a public meaning; any other ipaddr.js range is worth a second look. */
const PUBLIC_RANGE = 'unicast';

/**
 * The enrichment, also when the api leaves it out: an indicator with nothing to enrich (a hash, a
 * CVE, an AS number) may come without the field rather than with an empty one.
 */
const enrichmentOf = (indicator: IncidentIndicator): IncidentIndicator['enrichment'] =>
  (indicator as Partial<IncidentIndicator>).enrichment ?? {};

/**
 * What an analyst should know before acting on an indicator, from its local enrichment: an address
 * (or a URL's host, or a network) outside public unicast space (private, loopback, documentation,
 * multicast…), or a host name under no public suffix.
 */
export function indicatorWarnings(indicator: IncidentIndicator): Message[] {
  const { type } = indicator;
  const enrichment = enrichmentOf(indicator);
  const warnings: Message[] = [];
  if (enrichment.ipRange !== undefined && enrichment.ipRange !== PUBLIC_RANGE) {
    warnings.push(message(k('incident.warningRange'), { range: enrichment.ipRange }));
  }
  const named = type === 'domain' || type === 'email' || (type === 'url' && enrichment.ipRange === undefined);
  if (named && enrichment.registrableDomain === undefined) warnings.push(message(k('incident.warningNoSuffix')));
  return warnings;
}

/** The enrichment facts worth showing, labelled, in a stable order. */
export function enrichmentFacts(indicator: IncidentIndicator): Array<{ label: Message; value: string }> {
  const enrichment = enrichmentOf(indicator);
  const facts: Array<{ label: Message; value: string | undefined }> = [
    { label: message(k('incident.enrichmentHost')), value: enrichment.host },
    { label: message(k('incident.enrichmentRange')), value: enrichment.ipRange },
    { label: message(k('incident.enrichmentDomain')), value: enrichment.registrableDomain },
    { label: message(k('incident.enrichmentSuffix')), value: enrichment.publicSuffix },
  ];
  return facts.filter((fact): fact is { label: Message; value: string } => fact.value !== undefined);
}

const REJECTED = {
  empty: k('incident.rejectedEmpty'),
  too_long: k('incident.rejectedTooLong'),
  unrecognized: k('incident.rejectedUnrecognized'),
  type_mismatch: k('incident.rejectedTypeMismatch'),
  invalid_value: k('incident.rejectedInvalid'),
} satisfies Record<IncidentRejectedIndicator['reason'], string>;

export const rejectionReason = (rejected: IncidentRejectedIndicator): Message => message(REJECTED[rejected.reason]);
