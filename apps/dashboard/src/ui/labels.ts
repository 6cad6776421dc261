import { k } from '../i18n/keys';
import type { CorrelationKind, CorrelationStrength, IncidentState, IncidentStatus, Severity } from '../api/types';

export const SEVERITY = {
  low: k('severity.low'),
  medium: k('severity.medium'),
  high: k('severity.high'),
  critical: k('severity.critical'),
} satisfies Record<Severity, string>;

export const STATUS = {
  new: k('status.new'),
  triaged: k('status.triaged'),
  investigating: k('status.investigating'),
  contained: k('status.contained'),
  resolved: k('status.resolved'),
  closed: k('status.closed'),
} satisfies Record<IncidentStatus, string>;

export const STATE = {
  pending: k('state.pending'),
  enriched: k('state.enriched'),
  correlated: k('state.correlated'),
  failed: k('state.failed'),
} satisfies Record<IncidentState, string>;

/** How two correlated indicators relate (the domain's correlation kinds). */
export const CORRELATION_KIND = {
  exact: k('correlationKind.exact'),
  'file-alias': k('correlationKind.file-alias'),
  'url-host': k('correlationKind.url-host'),
  'ip-in-cidr': k('correlationKind.ip-in-cidr'),
  subdomain: k('correlationKind.subdomain'),
  'email-domain': k('correlationKind.email-domain'),
  'url-domain': k('correlationKind.url-domain'),
  'cidr-overlap': k('correlationKind.cidr-overlap'),
} satisfies Record<CorrelationKind, string>;

export const CORRELATION_STRENGTH = {
  strong: k('correlationStrength.strong'),
  medium: k('correlationStrength.medium'),
  weak: k('correlationStrength.weak'),
} satisfies Record<CorrelationStrength, string>;
