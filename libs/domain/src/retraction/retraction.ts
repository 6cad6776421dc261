import { createHash } from 'node:crypto';
import { indicatorsOf, type Correlation } from '../correlation/correlation';
import { correlationKey, isHashType } from '../correlation/index-plan';
import type { IndicatorType } from '../indicators';
import type { Incident } from '../incidents/incident';
import { normalizeSubmitted } from '../incidents/normalize-incident';
import type { Notification } from '../notifications/notification';
import type { Tlp } from '../visibility/tlp';
import { principalsOf } from '../visibility/visibility';

/**
 * A submitter withdraws what it shared: a whole incident, or one of its indicators. What was derived
 * from it is withdrawn too (correlations, index entries, alerts, pending escalations and reminders),
 * and everyone who was told of it is told of the retraction. The retraction itself stays as a
 * tombstone: ids, who, when and why — never the retracted content (an indicator is kept as a digest).
 */
export type RetractionScope = 'incident' | 'indicator';

export interface Retraction {
  /** `retraction-<sha256 hex, 32>` over the incident and (indicator scope) the indicator's digest. */
  id: string;
  scope: RetractionScope;
  incidentId: string;
  /** The submitting organization. */
  orgId: string;
  /** The incident's TLP when it was retracted: the label of what the retraction tells. */
  tlp: Tlp;
  /**
   * A RED incident's author and named people: only they read the tombstone (and are told 410); null
   * for the other levels, whose tombstone the whole submitting organization reads.
   */
  restrictedTo: string[] | null;
  /** Indicator scope: its type and `indicatorDigest`, never its value. */
  indicator: { type: IndicatorType; digest: string } | null;
  reason: string;
  by: string;
  at: Date;
  /** `pending` until the worker withdrew everything derived and told everyone told. */
  state: 'pending' | 'done';
  withdrawn: { correlationIds: string[]; alertIds: string[] };
  /** Who was told of the retraction: reader ledger members, webhook endpoint ids, e-mails sent. */
  told: { readers: string[]; webhookEndpointIds: string[]; emails: number };
  doneAt: Date | null;
}

/** The longest reason a retraction may give (characters). */
export const MAX_RETRACTION_REASON = 1000;

/** Whether `principal` may read the retraction (its organization's, and for RED one of the people named). */
export function mayReadRetraction(
  retraction: Pick<Retraction, 'orgId' | 'restrictedTo'>,
  principal: { id: string; orgId: string },
): boolean {
  return (
    retraction.orgId === principal.orgId &&
    (retraction.restrictedTo === null || retraction.restrictedTo.includes(principal.id))
  );
}

/** SHA-256 (hex) of `type:value`: how a tombstone names a retracted indicator without keeping it. */
export function indicatorDigest(indicator: { type: string; value: string }): string {
  return createHash('sha256').update(`${indicator.type}:${indicator.value}`).digest('hex');
}

/** One retraction per incident, and per indicator of an incident: retracting twice is one retraction. */
export function retractionId(incidentId: string, digest?: string): string {
  const basis = digest === undefined ? `incident\n${incidentId}` : `indicator\n${incidentId}\n${digest}`;
  return `retraction-${createHash('sha256').update(basis).digest('hex').slice(0, 32)}`;
}

/** A new, pending retraction. */
export function newRetraction(input: {
  incident: Pick<Incident, 'id' | 'orgId' | 'tlp' | 'authorId' | 'recipientUserIds'>;
  indicator?: { type: IndicatorType; value: string };
  reason: string;
  by: string;
  at: Date;
}): Retraction {
  const digest = input.indicator ? indicatorDigest(input.indicator) : undefined;
  return {
    id: retractionId(input.incident.id, digest),
    scope: input.indicator ? 'indicator' : 'incident',
    incidentId: input.incident.id,
    orgId: input.incident.orgId,
    tlp: input.incident.tlp,
    restrictedTo: input.incident.tlp === 'RED' ? principalsOf(input.incident) : null,
    indicator: input.indicator && digest ? { type: input.indicator.type, digest } : null,
    reason: input.reason,
    by: input.by,
    at: input.at,
    state: 'pending',
    withdrawn: { correlationIds: [], alertIds: [] },
    told: { readers: [], webhookEndpointIds: [], emails: 0 },
    doneAt: null,
  };
}

/**
 * The correlations a retraction withdraws, among correlations of its incident: all of them for an
 * incident, and for an indicator those in which the incident's own side is that indicator.
 */
export function withdrawnCorrelations<C extends Correlation>(
  retraction: Pick<Retraction, 'incidentId' | 'indicator'>,
  correlations: readonly C[],
): C[] {
  return correlations.filter((correlation) => {
    const sides = [correlation.found.incidentId, correlation.earlier.incidentId];
    if (!sides.includes(retraction.incidentId)) return false;
    if (!retraction.indicator) return true;
    const own = indicatorsOf(correlation, retraction.incidentId).own;
    return indicatorDigest(own) === retraction.indicator.digest;
  });
}

/** The watch hits a retraction withdraws: all of the incident's, or those whose matched indicator it is. */
export function withdrawnWatchHits<H extends { incidentId: string; matched: { type: string; value: string } }>(
  retraction: Pick<Retraction, 'incidentId' | 'indicator'>,
  hits: readonly H[],
): H[] {
  const target = retraction.indicator;
  return hits.filter(
    (hit) =>
      hit.incidentId === retraction.incidentId &&
      (!target || (hit.matched.type === target.type && indicatorDigest(hit.matched) === target.digest)),
  );
}

/**
 * What one reader is told of a retraction (the live `incident.retracted` / `indicator.retracted`,
 * and the content of its e-mail and webhook notification):
 * - `incidentId`, `reason` and (indicator scope) the indicator itself only to a reader who may see
 *   the incident (`seesIncident`): a partner told only of a correlation with it learns no more now;
 * - `correlationIds`: the withdrawn correlations with one of the reader organization's own incidents;
 * - `alertIds`: the reader organization's withdrawn alerts.
 */
export interface RetractionView {
  retractionId: string;
  scope: RetractionScope;
  incidentId?: string;
  reason?: string;
  indicator?: { type: IndicatorType; value: string };
  correlationIds: string[];
  alertIds: string[];
  retractedAt: string;
}

export function retractionViewFor(
  retraction: Retraction,
  reader: { orgId: string; seesIncident: boolean },
  withdrawn: {
    correlations: ReadonlyArray<Pick<Correlation, 'id' | 'found' | 'earlier'>>;
    alerts: ReadonlyArray<{ id: string; orgId: string }>;
  },
  indicator?: { type: IndicatorType; value: string },
): RetractionView {
  const correlationIds = withdrawn.correlations
    .filter((c) => c.found.orgId === reader.orgId || c.earlier.orgId === reader.orgId)
    .map((c) => c.id);
  const alertIds = withdrawn.alerts.filter((a) => a.orgId === reader.orgId).map((a) => a.id);
  return {
    retractionId: retraction.id,
    scope: retraction.scope,
    ...(reader.seesIncident ? { incidentId: retraction.incidentId, reason: retraction.reason } : {}),
    ...(reader.seesIncident && indicator ? { indicator } : {}),
    correlationIds,
    alertIds,
    retractedAt: retraction.at.toISOString(),
  };
}

/**
 * The e-mail / webhook notification of a retraction to one organization, worded by
 * `retractionViewFor`. Labelled with the incident's TLP for an organization that may see it;
 * otherwise with `ownTlp`, the strictest label of its own withdrawn alerts' incidents (what the view
 * then tells is about its own incidents only). The id repeats per (retraction, organization), so a
 * retried job sends nothing twice.
 */
export function retractionNotification(
  retraction: Retraction,
  orgId: string,
  view: RetractionView,
  ownTlp: Tlp,
): Notification {
  return {
    id: `${retraction.id}.${createHash('sha256').update(orgId).digest('hex').slice(0, 16)}`,
    type: retraction.scope === 'incident' ? 'incident.retracted' : 'indicator.retracted',
    orgId,
    tlp: view.incidentId ? retraction.tlp : ownTlp,
    occurredAt: view.retractedAt,
    ...(view.incidentId ? { incidentId: view.incidentId } : {}),
    content: { ...view },
  };
}

/**
 * The incident's indicators and submitted values less those that are the retracted indicator (a
 * submitted value is read as processing reads it), and its description with each text the
 * indicator was written as replaced by `[retracted]`: the retraction withdraws it from every reader.
 */
export function withoutIndicator(
  incident: Pick<Incident, 'indicators' | 'submitted' | 'pap' | 'description'>,
  retraction: Pick<Retraction, 'indicator'>,
): Pick<Incident, 'indicators' | 'submitted' | 'description'> {
  const target = retraction.indicator;
  if (!target)
    return { indicators: incident.indicators, submitted: incident.submitted, description: incident.description };
  const isTarget = (i: { type: string; value: string }) =>
    i.type === target.type && indicatorDigest(i) === target.digest;
  const retracted = incident.submitted.filter((s) => normalizeSubmitted([s], incident.pap).indicators.some(isTarget));
  const texts = new Set([...retracted.map((s) => s.raw), ...incident.indicators.filter(isTarget).map((i) => i.raw)]);
  let description = incident.description;
  // Longest first, so a text inside a longer one is not replaced half-way.
  for (const text of [...texts].filter((t) => t.length > 0).sort((a, b) => b.length - a.length))
    description = description.split(text).join('[retracted]');
  return {
    indicators: incident.indicators.filter((i) => !isTarget(i)),
    submitted: incident.submitted.filter((s) => !retracted.includes(s)),
    description,
  };
}

/**
 * The hash alias pairs (correlation keys of two hashes reported together, taken as one file) that a
 * retraction takes back: for an incident, every pair among its hashes; for a hash indicator, its
 * pairs with the incident's other hashes. The index drops a pair only when no other incident still
 * reports both (see `CorrelationIndex.removeAliases`).
 */
export function retractedAliasPairs(
  indicators: ReadonlyArray<{ type: IndicatorType; value: string }>,
  retraction: Pick<Retraction, 'indicator'>,
): Array<[string, string]> {
  const hashes = [...new Set(indicators.filter((i) => isHashType(i.type)).map((i) => correlationKey(i)))].sort();
  const target = retraction.indicator;
  const retracted = target
    ? indicators
        .filter((i) => isHashType(i.type) && i.type === target.type && indicatorDigest(i) === target.digest)
        .map((i) => correlationKey(i))
    : hashes;
  const pairs: Array<[string, string]> = [];
  for (const [i, a] of hashes.entries())
    for (const b of hashes.slice(i + 1)) if (retracted.includes(a) || retracted.includes(b)) pairs.push([a, b]);
  return pairs;
}
