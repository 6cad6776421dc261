import type { Tlp } from './tlp';

/**
 * The single place that decides who may see an incident, TLP 2.0 as FIRST defines it. Every path
 * (REST reads, lists, search, exports, counts, socket room joins, event audiences, correlation alert
 * wording) asks these functions.
 *
 * - CLEAR: everyone on the platform.
 * - GREEN: the submitting organization, the members of every community it belongs to, and the
 *   recipient organizations it names (also outside its communities).
 * - AMBER: the submitting organization and the recipient organizations it names.
 * - AMBER+STRICT: the submitting organization only.
 * - RED: the recipient users it names, and its author; nobody else, not even the author's colleagues.
 *
 * Which recipients each level takes is `recipients.ts` (GREEN and AMBER: organizations; RED: people);
 * a level never reads a list it does not take, and the spec checks both files agree.
 */
export interface Viewer {
  orgId: string;
  /** The acting user or API key; an organization-wide view uses an id no item is authored by. */
  principalId: string;
  /** Set for people: RED names users. */
  userId?: string;
  /** Organizations sharing at least one community with the viewer's organization. */
  communityPeers: readonly string[];
}

/** What the rule needs to know about the thing being shared. */
export interface Shareable {
  orgId: string;
  tlp: Tlp;
  authorId: string;
  recipientOrgIds: readonly string[];
  recipientUserIds: readonly string[];
}

/** The organization as a whole (alerts to an organization's room): sees no RED. */
export function organizationViewer(orgId: string, communityPeers: readonly string[]): Viewer {
  return { orgId, principalId: `org:${orgId}`, communityPeers };
}

export function canSee(viewer: Viewer, item: Shareable): boolean {
  switch (item.tlp) {
    case 'CLEAR':
      return true;
    case 'GREEN':
      return (
        item.orgId === viewer.orgId ||
        viewer.communityPeers.includes(item.orgId) ||
        item.recipientOrgIds.includes(viewer.orgId)
      );
    case 'AMBER':
      return item.orgId === viewer.orgId || item.recipientOrgIds.includes(viewer.orgId);
    case 'AMBER+STRICT':
      return item.orgId === viewer.orgId;
    case 'RED':
      return (
        item.authorId === viewer.principalId ||
        (viewer.userId !== undefined && item.recipientUserIds.includes(viewer.userId))
      );
  }
}

/**
 * The same rule as a store-independent filter, so lists, search and counts are filtered by the store
 * instead of in memory: an item is visible when it matches any clause, i.e. its TLP is one of `tlps`
 * and (when a field is named) that field holds one of `values` (array fields: any element).
 */
export interface VisibilityClause {
  tlps: Tlp[];
  field?: 'orgId' | 'authorId' | 'recipientOrgIds' | 'recipientUserIds';
  values?: string[];
}
export interface VisibilityFilter {
  anyOf: VisibilityClause[];
}

export function visibilityFilter(viewer: Viewer): VisibilityFilter {
  const anyOf: VisibilityClause[] = [
    { tlps: ['CLEAR'] },
    { tlps: ['GREEN', 'AMBER', 'AMBER+STRICT'], field: 'orgId', values: [viewer.orgId] },
    { tlps: ['GREEN', 'AMBER'], field: 'recipientOrgIds', values: [viewer.orgId] },
    { tlps: ['RED'], field: 'authorId', values: [viewer.principalId] },
  ];
  if (viewer.communityPeers.length > 0) {
    anyOf.push({ tlps: ['GREEN'], field: 'orgId', values: [...viewer.communityPeers] });
  }
  if (viewer.userId !== undefined) {
    anyOf.push({ tlps: ['RED'], field: 'recipientUserIds', values: [viewer.userId] });
  }
  return { anyOf };
}

export function matchesVisibilityFilter(filter: VisibilityFilter, item: Shareable): boolean {
  return filter.anyOf.some((clause) => {
    if (!clause.tlps.includes(item.tlp)) return false;
    if (!clause.field) return true;
    const held: unknown = item[clause.field];
    const values = clause.values ?? [];
    return Array.isArray(held) ? held.some((v) => values.includes(v as string)) : values.includes(held as string);
  });
}

/**
 * Who is told about an item as it happens: everyone connected, or exactly these organizations,
 * users and principals. `submitterPeers` are the organizations sharing a community with the submitter.
 */
export interface Audience {
  everyone: boolean;
  orgIds: string[];
  principalIds: string[];
}

export function audienceOf(item: Shareable, submitterPeers: readonly string[]): Audience {
  const none: Audience = { everyone: false, orgIds: [], principalIds: [] };
  switch (item.tlp) {
    case 'CLEAR':
      return { ...none, everyone: true };
    case 'GREEN':
      return { ...none, orgIds: unique([item.orgId, ...submitterPeers, ...item.recipientOrgIds]) };
    case 'AMBER':
      return { ...none, orgIds: unique([item.orgId, ...item.recipientOrgIds]) };
    case 'AMBER+STRICT':
      return { ...none, orgIds: [item.orgId] };
    case 'RED':
      return { ...none, principalIds: unique([item.authorId, ...item.recipientUserIds]) };
  }
}

/** Whether a viewer belongs to an audience (the spec checks this agrees with canSee). */
export function inAudience(audience: Audience, viewer: Viewer): boolean {
  return (
    audience.everyone ||
    audience.orgIds.includes(viewer.orgId) ||
    audience.principalIds.includes(viewer.principalId) ||
    (viewer.userId !== undefined && audience.principalIds.includes(viewer.userId))
  );
}

/**
 * The principals a RED incident involves one by one (its author and the people it names); none for
 * other levels, whose readers are organizations. Shape: user or API key ids, without repeats.
 */
export function principalsOf(item: Pick<Shareable, 'tlp' | 'authorId' | 'recipientUserIds'>): string[] {
  return item.tlp === 'RED' ? unique([item.authorId, ...item.recipientUserIds]) : [];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
