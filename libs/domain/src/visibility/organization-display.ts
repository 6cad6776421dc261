import type { DisclosurePolicy } from './disclosure';
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
  return anonymousOrganization(org);
}

function anonymousOrganization(org: { kind: 'cert' | 'agency' }): OrganizationRef {
  return { id: null, name: org.kind === 'cert' ? 'a partner CERT' : 'a partner agency' };
}

/** The incident an organization is shown for (see `SharingContext.display`). */
export interface DisplayedItem {
  tlp: Tlp;
  recipientOrgIds: readonly string[];
  orgId?: string;
  /** TLP:EX:CHR: the submitter is named to nobody outside its own organization. */
  anonymisedSubmitter?: true;
}

/** What the sharing rules need of an organization: how to name it, and what it discloses of matches. */
export interface OrganizationInfo {
  id: string;
  name: string;
  kind: 'cert' | 'agency';
  disclosure?: Partial<DisclosurePolicy>;
}

/** How an organization the platform does not know (deleted, or never existed) is shown. */
export const UNKNOWN_ORGANIZATION: OrganizationRef = Object.freeze({ id: null, name: 'unknown organization' });

/**
 * Everything the sharing rules need about communities and organizations, read once (and cached by
 * the caller while unchanged): who is whose peer, how organizations are named to each other, and
 * each organization's disclosure policy.
 */
export class SharingContext {
  private readonly organizations: ReadonlyMap<string, OrganizationInfo>;
  private readonly peers = new Map<string, string[]>();

  constructor(
    readonly communities: readonly CommunityMembers[],
    organizations: readonly OrganizationInfo[] = [],
  ) {
    this.organizations = new Map(organizations.map((org) => [org.id, org]));
  }

  peersOf(orgId: string): string[] {
    let peers = this.peers.get(orgId);
    if (!peers) {
      peers = communityPeersOf(orgId, this.communities);
      this.peers.set(orgId, peers);
    }
    return peers;
  }

  organization(orgId: string): OrganizationInfo | undefined {
    return this.organizations.get(orgId);
  }

  /** Every organization of the platform (the audience of TLP:CLEAR). */
  organizationIds(): string[] {
    return [...this.organizations.keys()];
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

  /**
   * `item`: the incident the organization is shown as the submitter of, when the viewer may see it. An
   * incident submitted under TLP:EX:CHR (`anonymisedSubmitter`) shows its submitter to nobody outside
   * the submitting organization.
   */
  display(
    org: { id: string; name: string; kind: 'cert' | 'agency' },
    viewerOrgId: string,
    item?: DisplayedItem,
  ): OrganizationRef {
    if (item?.anonymisedSubmitter === true && org.id !== viewerOrgId && (item.orgId ?? org.id) === org.id) {
      return anonymousOrganization(org);
    }
    // Recipients the submitter named (GREEN and AMBER organizations, RED people) were chosen by name;
    // an organization list a level does not take names nobody.
    const named = item !== undefined && (item.tlp === 'RED' || namedOrganizations(item).includes(viewerOrgId));
    return displayOrganization(org, viewerOrgId, this.communities, named);
  }

  /** Like `display`, by id, from the directory this context was built with. */
  displayById(orgId: string, viewerOrgId: string, item?: DisplayedItem): OrganizationRef {
    const org = this.organizations.get(orgId);
    return org ? this.display(org, viewerOrgId, item) : UNKNOWN_ORGANIZATION;
  }
}
