import {
  defaultPap,
  explicitPolicy,
  isPap,
  isDisclosure,
  type Correlation,
  type CorrelationAck,
  type Incident,
  type IncidentHead,
  type Organization,
} from '@corridor/domain';

/** Lean documents as they come back from the store; `_id` becomes `id` on the way out. */
type Doc<T> = Omit<T, 'id'> & { _id: string };

export function toOrganization(doc: Doc<Organization>): Organization {
  const { _id, disclosure, ...rest } = doc;
  const organization: Organization = { id: _id, ...rest };
  // Only valid levels leave the store; no policy at all when none is set.
  if (typeof disclosure === 'object' && disclosure !== null) organization.disclosure = explicitPolicy(disclosure);
  return organization;
}

export function toIncident(
  doc: Doc<Incident> & {
    externalRef?: string | null;
    failureReason?: string | null;
    disclosure?: unknown;
    pap?: unknown;
    statusChangedBy?: string | null;
    statusChangedAt?: Date | null;
    stateChangedAt?: Date | null;
  },
): Incident {
  const {
    _id,
    externalRef,
    failureReason,
    disclosure,
    pap: storedPap,
    statusChangedBy,
    statusChangedAt,
    stateChangedAt: _stateChangedAt,
    ...rest
  } = doc;
  // Incidents stored before PAP read as the default for their TLP; their indicators follow it.
  const pap = isPap(storedPap) ? storedPap : defaultPap(rest.tlp);
  // Sharing fields default for documents stored before they existed: owner-only, no recipients.
  const incident: Incident = {
    id: _id,
    ...rest,
    authorId: rest.authorId ?? '',
    recipientOrgIds: rest.recipientOrgIds ?? [],
    recipientUserIds: rest.recipientUserIds ?? [],
    status: rest.status ?? 'new',
    assigneeId: rest.assigneeId ?? null,
    pap,
    // An empty enrichment (a hash has none) is not stored by the driver: read it back as empty; so
    // are the warnings and PAP of indicators stored before there were any.
    indicators: (rest.indicators ?? []).map(({ papGiven, forDetection, ...indicator }) => ({
      ...indicator,
      ...(forDetection === false ? { forDetection } : {}),
      enrichment: indicator.enrichment ?? {},
      warnings: indicator.warnings ?? [],
      ...(papGiven === true && isPap(indicator.pap) ? { pap: indicator.pap, papGiven } : { pap }),
    })),
  };
  if (statusChangedBy) incident.statusChangedBy = statusChangedBy;
  if (statusChangedAt) incident.statusChangedAt = statusChangedAt;
  if (externalRef) incident.externalRef = externalRef;
  if (failureReason) incident.failureReason = failureReason;
  // The override is present only when the owner set one.
  if (isDisclosure(disclosure)) incident.disclosure = disclosure;
  // Documents carry bookkeeping fields the domain does not know about.
  delete (incident as unknown as Record<string, unknown>).refKey;
  delete (incident as unknown as Record<string, unknown>).idemKey;
  return incident;
}

/** An incident read with only its head's fields (see `IncidentHead`). */
export function toIncidentHead(
  doc: Omit<IncidentHead, 'id' | 'disclosure'> & { _id: string; disclosure?: unknown },
): IncidentHead {
  const { _id, disclosure, ...rest } = doc;
  const head: IncidentHead = {
    ...rest,
    id: String(_id),
    // As `toIncident`: sharing fields default for documents stored before they existed.
    authorId: rest.authorId ?? '',
    recipientOrgIds: rest.recipientOrgIds ?? [],
    recipientUserIds: rest.recipientUserIds ?? [],
    status: rest.status ?? 'new',
  };
  if (isDisclosure(disclosure)) head.disclosure = disclosure;
  return head;
}

/** A stored correlation with its on-call acknowledgements (one per organization at most). */
export function toCorrelation(
  doc: Doc<Correlation> & { alertedAt?: Date | null; acks?: CorrelationAck[] },
): Correlation & { acks: CorrelationAck[] } {
  const { _id, alertedAt: _alertedAt, acks, ...rest } = doc;
  return { id: _id, ...rest, acks: acks ?? [] };
}

/** MongoDB and FerretDB both report a unique index violation as code 11000. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, writeErrors } = error as { code?: unknown; writeErrors?: Array<{ code?: unknown }> };
  return code === 11000 || (Array.isArray(writeErrors) && writeErrors.some((e) => e.code === 11000));
}

/** `text` as a regular expression matching it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
