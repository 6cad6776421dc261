import { namedOrganizations } from './recipients';
import type { Tlp } from './tlp';
import { organizationViewer, type Viewer } from './visibility';

/** One community's members, with each member's choice to appear anonymised to the others. */
export interface CommunityMembers {
  members: ReadonlyArray<{ orgId: string; anonymous: boolean }>;
}

/** Organizations sharing at least one community with `orgId`. */
export function communityPeersOf(orgId: string, communities: readonly CommunityMembers[]): string[] {
  const peers = new Set<string>();
  for (const community of communities) {
    if (!community.members.some((m) => m.orgId === orgId)) continue;
    for (const member of community.members) if (member.orgId !== orgId) peers.add(member.orgId);
  }
  return [...peers];
}

/**
 * An organization is shown anonymised to another when every community they share is one where it
 * chose to appear anonymised. Known partners outside any shared community, itself, and organizations
 * it named as recipients see its name.
 */
export function isAnonymousTo(
  orgId: string,
  viewerOrgId: string,
  communities: readonly CommunityMembers[],
  namedRecipient = false,
): boolean {
  if (orgId === viewerOrgId || namedRecipient) return false;
  const shared = communities.filter(
    (c) => c.members.some((m) => m.orgId === orgId) && c.members.some((m) => m.orgId === viewerOrgId),
  );
  return shared.length > 0 && shared.every((c) => c.members.some((m) => m.orgId === orgId && m.anonymous));
}

export interface OrganizationRef {
  id: string | null;
  name: string;
}

/** The organization as a viewer may see it: its id and name, or a label without either. */
export function displayOrganization(
  org: { id: string; name: string; kind: 'cert' | 'agency' },
  viewerOrgId: string,
  communities: readonly CommunityMembers[],
  namedRecipient = false,
): OrganizationRef {
  if (!isAnonymousTo(org.id, viewerOrgId, communities, namedRecipient)) return { id: org.id, name: org.name };
  return { id: null, name: org.kind === 'cert' ? 'a partner CERT' : 'a partner agency' };
}

/**
 * Everything the sharing rules need about communities, read once per request or job: who is whose
 * peer, and how organizations are named to each other.
 */
export class SharingContext {
  constructor(readonly communities: readonly CommunityMembers[]) {}

  peersOf(orgId: string): string[] {
    return communityPeersOf(orgId, this.communities);
  }

  /** The viewer for a principal (a user or an API key) of `orgId`. */
  viewerFor(principal: { kind: 'user' | 'key'; id: string; orgId: string }): Viewer {
    return {
      orgId: principal.orgId,
      principalId: principal.id,
      userId: principal.kind === 'user' ? principal.id : undefined,
      communityPeers: this.peersOf(principal.orgId),
    };
  }

  /** The organization as a whole, for deliveries to its room. */
  organizationViewer(orgId: string): Viewer {
    return organizationViewer(orgId, this.peersOf(orgId));
  }

  display(
    org: { id: string; name: string; kind: 'cert' | 'agency' },
    viewerOrgId: string,
    item?: { tlp: Tlp; recipientOrgIds: readonly string[] },
  ): OrganizationRef {
    // Recipients the submitter named (GREEN and AMBER organizations, RED people) were chosen by name;
    // an organization list a level does not take names nobody.
    const named = item !== undefined && (item.tlp === 'RED' || namedOrganizations(item).includes(viewerOrgId));
    return displayOrganization(org, viewerOrgId, this.communities, named);
  }
}
