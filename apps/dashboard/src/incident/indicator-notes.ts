import type { IncidentIndicator, IncidentRejectedIndicator, IndicatorWarning } from '../api/types';
import { k, type MessageKey } from '../i18n/keys';
import { message, type Message } from '../ui/message';
import { enrichmentOf } from './enrichment';

const WARNING_LIST_LABELS: Record<string, MessageKey> = {
  documentation: k('warningList.documentation'),
  benchmarking: k('warningList.benchmarking'),
  rfc1918: k('warningList.rfc1918'),
  'unique-local': k('warningList.unique-local'),
  cgnat: k('warningList.cgnat'),
  loopback: k('warningList.loopback'),
  'link-local': k('warningList.link-local'),
  unspecified: k('warningList.unspecified'),
  broadcast: k('warningList.broadcast'),
  multicast: k('warningList.multicast'),
  'anycast-services': k('warningList.anycast-services'),
  reserved: k('warningList.reserved'),
  'public-dns-resolvers': k('warningList.public-dns-resolvers'),
  'special-use-domains': k('warningList.special-use-domains'),
  'popular-domains': k('warningList.popular-domains'),
};

/** The api's warning in the reader's language; a list this page does not know yet by the api's own name. */
export function warningLabel(warning: IndicatorWarning): Message {
  const key = WARNING_LIST_LABELS[warning.list];
  return key ? message(key) : message(k('incident.warningList'), { name: warning.name });
}

/** An indicator's warnings, also when the api leaves them out (an indicator stored before there were any). */
export const warningsOf = (indicator: IncidentIndicator): IndicatorWarning[] =>
  (indicator as Partial<IncidentIndicator>).warnings ?? [];

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
