import type { Tlp } from './tlp';

/**
 * The single place that decides who may see an incident. Every path (REST reads and lists, socket
 * room joins, emitted events, correlation alert wording) asks these functions.
 *
 * Current rule: CLEAR and GREEN are visible to every organization on the platform; AMBER,
 * AMBER+STRICT and RED only to the submitting organization. Communities, recipient organizations
 * and named users extend `Viewer` and `Shareable` later without changing the callers.
 */
export interface Viewer {
  orgId: string;
}

/** What the rule needs to know about the thing being shared. */
export interface Shareable {
  orgId: string;
  tlp: Tlp;
}

const PLATFORM_WIDE: readonly Tlp[] = ['CLEAR', 'GREEN'];

export function canSee(viewer: Viewer, item: Shareable): boolean {
  return item.orgId === viewer.orgId || PLATFORM_WIDE.includes(item.tlp);
}

/**
 * The same rule as a store-independent filter, so lists are filtered by the store instead of in
 * memory. `matchesVisibilityFilter` evaluates it in memory; the spec proves both agree with `canSee`.
 */
export type VisibilityClause = { kind: 'tlpIn'; tlps: Tlp[] } | { kind: 'orgIs'; orgId: string };
export interface VisibilityFilter {
  anyOf: VisibilityClause[];
}

export function visibilityFilter(viewer: Viewer): VisibilityFilter {
  return {
    anyOf: [
      { kind: 'orgIs', orgId: viewer.orgId },
      { kind: 'tlpIn', tlps: [...PLATFORM_WIDE] },
    ],
  };
}

export function matchesVisibilityFilter(filter: VisibilityFilter, item: Shareable): boolean {
  return filter.anyOf.some((clause) => {
    switch (clause.kind) {
      case 'orgIs':
        return item.orgId === clause.orgId;
      case 'tlpIn':
        return clause.tlps.includes(item.tlp);
    }
  });
}

/** Who should be told about an item as it happens: everyone connected, or these organizations. */
export type Audience = { kind: 'platform' } | { kind: 'organizations'; orgIds: string[] };

export function audienceOf(item: Shareable): Audience {
  return PLATFORM_WIDE.includes(item.tlp) ? { kind: 'platform' } : { kind: 'organizations', orgIds: [item.orgId] };
}
