import { k } from '../i18n/keys';
import type { IncidentState, IncidentStatus, Severity } from '../api/types';

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
