import { RSIT_TAXONOMY } from '../api/domain';
import type { FeedRow, IncidentStatus, RsitClass, Severity, Tlp } from '../api/types';

/**
 * The feed's filters, kept in the page's URL (search params) so that a reload, a bookmark or a link
 * shows the same list. Values the page does not know are dropped when read back, never sent.
 */
export interface FeedFilters {
  severity?: Severity;
  /** An RSIT class, or `class/type`. */
  classification?: string;
  tlp?: Tlp;
  /** The analysts' workflow status. */
  status?: IncidentStatus;
  /** An organization id, as the reader knows it. */
  organization?: string;
  /** Incidents assigned to the signed-in person. */
  assignee?: 'me';
  /** Free text in the title, the description or an indicator value. */
  text?: string;
}

export type FilterName = keyof FeedFilters;

/** Every value of each closed set, in the order the page offers them (the records keep the lists complete). */
export const SEVERITIES = Object.keys({ low: 0, medium: 0, high: 0, critical: 0 } satisfies Record<
  Severity,
  0
>) as Severity[];
export const TLPS = Object.keys({
  CLEAR: 0,
  GREEN: 0,
  AMBER: 0,
  'AMBER+STRICT': 0,
  RED: 0,
} satisfies Record<Tlp, 0>) as Tlp[];
export const STATUSES = Object.keys({
  new: 0,
  triaged: 0,
  investigating: 0,
  contained: 0,
  resolved: 0,
  closed: 0,
} satisfies Record<IncidentStatus, 0>) as IncidentStatus[];
export const CLASSES = Object.keys({
  'abusive-content': 0,
  'malicious-code': 0,
  'information-gathering': 0,
  'intrusion-attempts': 0,
  intrusions: 0,
  availability: 0,
  'information-content-security': 0,
  fraud: 0,
  vulnerable: 0,
  other: 0,
  test: 0,
} satisfies Record<RsitClass, 0>) as RsitClass[];

/** The URL parameter of each filter, in the order they are written. */
const PARAM = {
  severity: 'severity',
  classification: 'classification',
  tlp: 'tlp',
  status: 'status',
  organization: 'org',
  assignee: 'assignee',
  text: 'q',
} as const satisfies Record<FilterName, string>;

const TEXT_MAX = 200;
const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  values.find((known) => known === value);

/** The filters a URL's search params carry; unknown or malformed values are left out. */
export function filtersFromSearch(params: URLSearchParams): FeedFilters {
  const filters: FeedFilters = {};
  const severity = oneOf(SEVERITIES, params.get(PARAM.severity));
  if (severity) filters.severity = severity;
  const classification = params.get(PARAM.classification);
  if (classification) {
    const [head, type, ...rest] = classification.split('/');
    const cls = oneOf(CLASSES, head ?? null);
    // The type must be one of the class's own: the API refuses any other with a 400.
    const types: readonly string[] = cls ? RSIT_TAXONOMY[cls] : [];
    if (cls && rest.length === 0 && (type === undefined || types.includes(type))) {
      filters.classification = classification;
    }
  }
  const tlp = oneOf(TLPS, params.get(PARAM.tlp));
  if (tlp) filters.tlp = tlp;
  const status = oneOf(STATUSES, params.get(PARAM.status));
  if (status) filters.status = status;
  const organization = params.get(PARAM.organization);
  if (organization && /^[A-Za-z0-9_-]{1,100}$/.test(organization)) filters.organization = organization;
  if (params.get(PARAM.assignee) === 'me') filters.assignee = 'me';
  const text = params.get(PARAM.text)?.trim().slice(0, TEXT_MAX);
  if (text) filters.text = text;
  return filters;
}

/** The search params for these filters, in a fixed order (one URL per set of filters). */
export function searchFromFilters(filters: FeedFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of Object.keys(PARAM) as FilterName[]) {
    const value = filters[name]?.trim();
    if (value) params.set(PARAM[name], value);
  }
  return params;
}

/**
 * The list request for these filters: what the API filters itself (severity, classification, workflow
 * status, assignee, free text), one page after `cursor`. TLP and organization are not list filters of
 * the API; `matchesLocally` applies them to each page.
 */
export function listPath(filters: FeedFilters, limit: number, cursor?: string | null): string {
  const params = new URLSearchParams();
  if (filters.severity) params.set('severity', filters.severity);
  if (filters.classification) params.set('classification', filters.classification);
  if (filters.status) params.set('status', filters.status);
  if (filters.assignee) params.set('assignee', filters.assignee);
  if (filters.text) params.set('q', filters.text);
  params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  return `/api/v1/incidents?${params.toString()}`;
}

/** The filters the API does not apply, checked on each listed row. */
export function matchesLocally(row: FeedRow, filters: FeedFilters): boolean {
  if (filters.tlp && row.tlp !== filters.tlp) return false;
  if (filters.organization && row.organization.id !== filters.organization) return false;
  return true;
}

/**
 * Whether a live row (an `incident.created` summary) belongs in the list these filters select. A row
 * the page cannot judge is left out rather than shown wrongly: the free text is looked for in what
 * the summary carries (the title), and a new incident is nobody's yet, so "assigned to me" never
 * takes it. A later read of the list by REST shows whatever the API finds beyond that.
 */
export function matchesLive(row: FeedRow, filters: FeedFilters): boolean {
  if (filters.severity && row.severity !== filters.severity) return false;
  if (filters.classification) {
    const [cls, type] = filters.classification.split('/');
    if (row.classification.class !== cls || (type !== undefined && row.classification.type !== type)) return false;
  }
  if (filters.status && row.status !== filters.status) return false;
  if (filters.assignee) return false;
  if (filters.text && !row.title.toLowerCase().includes(filters.text.toLowerCase())) return false;
  return matchesLocally(row, filters);
}

/** True when no filter is set. */
export function isUnfiltered(filters: FeedFilters): boolean {
  return Object.values(filters).every((value) => value === undefined);
}
