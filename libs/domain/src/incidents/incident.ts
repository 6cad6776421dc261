import type { Role } from '../auth/principal';
import type { IndicatorEnrichment, IndicatorType, IndicatorWarning, RejectedIndicator } from '../indicators';
import type { Pap } from '../visibility/pap';
import type { Classification } from './taxonomy';
import type { Tlp } from '../visibility/tlp';
import type { Disclosure, DisclosurePolicy } from '../visibility/disclosure';
import type { Language } from '../notifications/mail';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** pending → enriched → correlated; failed when processing gave up (the reason is kept). */
export const INCIDENT_STATES = ['pending', 'enriched', 'correlated', 'failed'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** An indicator as the partner sent it, before the worker normalizes it. */
export interface SubmittedIndicator {
  raw: string;
  type?: IndicatorType;
  /** Where it came from: the `indicators` array of the request, or the description text. */
  source: 'field' | 'description';
  /** The PAP the submitter gave this indicator; absent: the incident's. */
  pap?: Pap;
  /** False: shared as context (e.g. a STIX observable no indicator pattern names), not for detection. */
  forDetection?: false;
}

export interface IncidentIndicator {
  raw: string;
  type: IndicatorType;
  value: string;
  source: 'field' | 'description';
  enrichment: IndicatorEnrichment;
  /** The warning lists it matched; a warned indicator is neither indexed nor looked up for correlation. */
  warnings: IndicatorWarning[];
  /** Its PAP: the one the submitter gave it (`papGiven`), otherwise the incident's, following it. */
  pap: Pap;
  papGiven?: true;
  /**
   * False: context only (an observable seen in the incident, not one to detect or block); exported
   * as an observable but not as a STIX indicator. Absent: meant for detection.
   */
  forDetection?: false;
}

/** The analysts' workflow, separate from the processing state; its moves are in `workflow.ts`. */
export const INCIDENT_STATUSES = ['new', 'triaged', 'investigating', 'contained', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface Incident {
  id: string;
  orgId: string;
  /** The user or API key that submitted it (RED: always among those who may see it). */
  authorId: string;
  /** GREEN and AMBER: the organizations named besides the submitter (see `recipients.ts`). */
  recipientOrgIds: string[];
  /** RED: the people it is shared with, besides its author (see `recipients.ts`). */
  recipientUserIds: string[];
  status: IncidentStatus;
  /** The last change of status: who (user or API key id) and when; absent while it never changed. */
  statusChangedBy?: string;
  statusChangedAt?: Date;
  /** The analyst of the owning organization working on it; null or absent: unassigned. */
  assigneeId?: string | null;
  title: string;
  description: string;
  occurredAt: Date;
  classification: Classification;
  severity: Severity;
  tlp: Tlp;
  /** What recipients may do with its indicators (see `pap.ts`); each indicator may state its own. */
  pap: Pap;
  externalRef?: string;
  /**
   * TLP:EX:CHR (Chatham House Rule): partners may use it but not say who submitted it; every view
   * outside the submitting organization shows the submitter anonymised, and a match with it discloses
   * at most `anonymous`.
   */
  anonymisedSubmitter?: true;
  /** Overrides the organization's disclosure policy for this incident (see `Disclosure`). */
  disclosure?: Disclosure | null;
  state: IncidentState;
  failureReason?: string;
  submitted: SubmittedIndicator[];
  indicators: IncidentIndicator[];
  rejectedIndicators: RejectedIndicator[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * What views of many incidents read of each (lists of alerts, the correlation cluster): who may see
 * it, its summary and its disclosure choice; never its description or indicators.
 */
export type IncidentHead = Pick<
  Incident,
  | 'id'
  | 'orgId'
  | 'authorId'
  | 'recipientOrgIds'
  | 'recipientUserIds'
  | 'title'
  | 'severity'
  | 'tlp'
  | 'classification'
  | 'state'
  | 'status'
  | 'createdAt'
  | 'disclosure'
  | 'anonymisedSubmitter'
>;

export interface Organization {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2 country code, upper-case. */
  country: string;
  kind: 'cert' | 'agency';
  /** What partners that may not see one of its incidents learn of a match with it, per TLP (defaults apply). */
  disclosure?: Partial<DisclosurePolicy>;
  createdAt: Date;
}

export const ORGANIZATION_KINDS = ['cert', 'agency'] as const;

export interface User {
  id: string;
  orgId: string;
  email: string;
  name: string;
  roles: Role[];
  /** The language Corridor writes to the person in (e-mail): `en` unless they chose `ar` or `ur`. */
  language: Language;
  createdAt: Date;
}

export interface Community {
  id: string;
  name: string;
  members: Array<{ orgId: string; anonymous: boolean }>;
  createdAt: Date;
}
