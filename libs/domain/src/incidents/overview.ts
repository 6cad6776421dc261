import type { IndicatorType } from '../indicators';
import type { OrganizationRef, SharingContext } from '../visibility/organization-display';
import { SEVERITIES, type Incident, type Severity } from './incident';
import { RSIT_CLASSES, type RsitClass } from './taxonomy';

/** What the overview reads of each incident: nothing but these fields. */
export type OverviewFacts = Pick<Incident, 'id' | 'orgId' | 'tlp' | 'recipientOrgIds' | 'severity' | 'createdAt'> & {
  classification: { class: string };
  indicators: ReadonlyArray<{ type: IndicatorType; value: string }>;
};

export interface OverviewDay {
  /** UTC calendar date, `YYYY-MM-DD`. */
  date: string;
  total: number;
  /** Every RSIT class, zeros included. */
  byClassification: Record<RsitClass, number>;
  /** Every severity, zeros included. */
  bySeverity: Record<Severity, number>;
}

export interface TopIndicator {
  type: IndicatorType;
  value: string;
  /** How many of the incidents counted carry it. */
  incidents: number;
}

export interface PartnerActivity {
  /** As the reader knows the organization; anonymised organizations share one row per label. */
  organization: OrganizationRef;
  incidents: number;
  lastAt: string;
}

export interface Overview {
  /** The start of the first day (UTC midnight). */
  from: string;
  /** When the overview was computed. */
  to: string;
  days: OverviewDay[];
  topIndicators: TopIndicator[];
  partners: PartnerActivity[];
}

export const OVERVIEW_TOP_INDICATORS = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The first instant of the `days`-day window that ends with the UTC day of `now`. */
export function overviewStart(now: Date, days: number): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS);
}

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/**
 * Activity per UTC day, the indicators most shared between incidents and the most active
 * organizations, over `incidents` — which must be exactly the incidents the reader may see (the
 * caller filters them by the visibility rule). Days run from `overviewStart(now, days)` to the day of
 * `now`; incidents received outside that window are not counted. An indicator is listed only when at
 * least two of the incidents carry it. Organizations are named as the reader knows them on each
 * incident; all anonymised organizations of one kind share a row, so the overview never links
 * incidents an anonymised organization submitted.
 */
export function overviewOf(
  incidents: readonly OverviewFacts[],
  options: { now: Date; days: number },
  viewerOrgId: string,
  sharing: SharingContext,
): Overview {
  const from = overviewStart(options.now, options.days);
  const days: OverviewDay[] = Array.from({ length: options.days }, (_, i) => ({
    date: new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10),
    total: 0,
    byClassification: zeros(RSIT_CLASSES),
    bySeverity: zeros(SEVERITIES),
  }));
  const byDate = new Map(days.map((day) => [day.date, day]));
  const carriers = new Map<string, { type: IndicatorType; value: string; incidents: number }>();
  const partners = new Map<string, { organization: OrganizationRef; incidents: number; lastAt: Date }>();
  for (const incident of incidents) {
    if (incident.createdAt < from || incident.createdAt > options.now) continue;
    const day = byDate.get(incident.createdAt.toISOString().slice(0, 10));
    if (!day) continue;
    day.total++;
    const cls = incident.classification.class as RsitClass;
    if (cls in day.byClassification) day.byClassification[cls]++;
    if (incident.severity in day.bySeverity) day.bySeverity[incident.severity]++;

    const carried = new Set<string>();
    for (const indicator of incident.indicators) {
      const key = `${indicator.type}:${indicator.value}`;
      if (carried.has(key)) continue;
      carried.add(key);
      const entry = carriers.get(key) ?? { type: indicator.type, value: indicator.value, incidents: 0 };
      entry.incidents++;
      carriers.set(key, entry);
    }

    const organization = sharing.displayById(incident.orgId, viewerOrgId, incident);
    const row = organization.id ?? `\n${organization.name}`;
    const partner = partners.get(row) ?? { organization, incidents: 0, lastAt: incident.createdAt };
    partner.incidents++;
    if (incident.createdAt > partner.lastAt) partner.lastAt = incident.createdAt;
    partners.set(row, partner);
  }
  const topIndicators = [...carriers.values()]
    .filter((entry) => entry.incidents >= 2)
    .sort((a, b) => b.incidents - a.incidents || compare(a.type, b.type) || compare(a.value, b.value))
    .slice(0, OVERVIEW_TOP_INDICATORS);
  return {
    from: from.toISOString(),
    to: options.now.toISOString(),
    days,
    topIndicators,
    partners: [...partners.values()]
      .sort(
        (a, b) =>
          b.incidents - a.incidents ||
          b.lastAt.getTime() - a.lastAt.getTime() ||
          compare(a.organization.name, b.organization.name),
      )
      .map((p) => ({ organization: p.organization, incidents: p.incidents, lastAt: p.lastAt.toISOString() })),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
