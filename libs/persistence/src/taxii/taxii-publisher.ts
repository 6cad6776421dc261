import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  STIX_MEDIA_TYPE,
  parseTimestampMicros,
  toStixBundle,
  type Incident,
  type Organization,
  TLP_LEVELS,
  type Shareable,
  type StixObject,
} from '@corridor/domain';
import { CommunitiesRepository } from '../mongo/communities.repository';
import { OrganizationsRepository } from '../mongo/organizations.repository';
import { TAXII_SHARED_ORG, TaxiiRepository, type NewTaxiiObject } from '../mongo/taxii.repository';

/** Objects every bundle repeats that belong to no incident: readable by every reader of the collection. */
const SHARED_TYPES = new Set(['marking-definition', 'extension-definition', 'identity']);

/** Shared definitions belong to no organization: nobody may delete them through TAXII. */
export const SHARED_OWNER = { orgId: TAXII_SHARED_ORG, authorId: TAXII_SHARED_ORG } as const;

/** States after which an incident's indicators are normalized and its objects final enough to share. */
const PUBLISHED_STATES = new Set<Incident['state']>(['correlated', 'enriched']);

/**
 * The pseudonymous identity id seed of an organization that chose to appear anonymised in a
 * community: stable per collection, unlinkable to its real identity.
 */
export function anonymousIdentitySeed(collectionId: string, orgId: string): string {
  return `anonymous-${createHash('sha256').update(`${collectionId}\n${orgId}`).digest('hex').slice(0, 32)}`;
}

/**
 * Puts an incident's STIX objects into the TAXII collection of every community its organization
 * belongs to, as `toStixBundle` writes them. Idempotent: a version already in a collection is not
 * added again; a changed incident (new `modified`) adds new versions; every version takes the
 * incident's current visibility, and objects the incident no longer has (a retracted indicator, a
 * community it left) are removed. Called where the worker finishes processing an incident and where
 * an incident changes.
 *
 * Objects shared by all incidents (TLP marking definitions, Corridor's extension definition, the
 * identities) are readable by every reader of the collection. The submitter's identity is its name as
 * the community shows it: a member that chose to be anonymised appears as "a partner CERT" (or
 * agency) under a pseudonymous id of its own in that collection.
 */
@Injectable()
export class TaxiiPublisher {
  constructor(
    private readonly taxii: TaxiiRepository,
    private readonly communities: CommunitiesRepository,
    private readonly organizations: OrganizationsRepository,
  ) {}

  async publish(incident: Incident): Promise<void> {
    if (!PUBLISHED_STATES.has(incident.state)) return;
    const [communities, organization] = await Promise.all([
      this.communities.all(),
      this.organizations.findById(incident.orgId),
    ]);
    if (!organization) return;
    const visibility: Shareable = {
      orgId: incident.orgId,
      tlp: incident.tlp,
      authorId: incident.authorId,
      recipientOrgIds: incident.recipientOrgIds,
      recipientUserIds: incident.recipientUserIds,
    };
    const current = new Map<string, string[]>();
    for (const community of communities) {
      if (!community.members.some((m) => m.orgId === incident.orgId)) continue;
      const collection = await this.taxii.collectionOf(community.id);
      const members = await this.organizations.findByIds(community.members.map((m) => m.orgId));
      const shown = new Map(
        community.members.flatMap((m) => {
          const org = members.get(m.orgId);
          return org ? [[m.orgId, { org, shown: shownAs(org, m.anonymous, collection.id) }] as const] : [];
        }),
      );
      const own = shown.get(incident.orgId);
      if (!own) continue;
      const objects = [
        ...this.sharedObjects(incident, own, [...shown.values()]),
        ...this.incidentObjects(incident, own.shown, organization.createdAt, visibility),
      ];
      await this.taxii.add(collection.id, objects);
      current.set(
        collection.id,
        objects.filter((o) => o.incidentId !== null).map((o) => o.stixId),
      );
    }
    await this.taxii.setIncidentVisibility(incident.id, visibility);
    await this.taxii.keepOnly(incident.id, current);
  }

  /** The incident was retracted: its objects leave every collection. */
  async withdraw(incidentId: string): Promise<void> {
    await this.taxii.removeIncident(incidentId);
  }

  /** The incident's own objects (incident, indicators, vulnerabilities, relationships). */
  private incidentObjects(
    incident: Incident,
    shown: ShownOrganization,
    producedAt: Date,
    visibility: Shareable,
  ): NewTaxiiObject[] {
    const bundle = toStixBundle([{ incident, organization: shown }], { producedAt });
    const objects = bundle?.objects ?? [];
    // Observables (SCOs) have no created/modified: they are versioned with their incident.
    const incidentVersion = objects.find((stix) => stix.type === 'incident') as { modified?: string } | undefined;
    return objects
      .filter((stix) => !SHARED_TYPES.has(stix.type))
      .map((stix) => entryOf(stix, incident.id, visibility, incidentVersion?.modified));
  }

  /**
   * The definitions every reader of the collection may read: the marking definitions of every TLP
   * level and the identities of every member, all at once, so that none appears only when an
   * incident of some level or some member is published (its appearance would tell of it).
   */
  private sharedObjects(
    incident: Incident,
    own: { org: Organization; shown: ShownOrganization },
    members: Array<{ org: Organization; shown: ShownOrganization }>,
  ): NewTaxiiObject[] {
    const shared: Shareable = { ...SHARED_OWNER, tlp: 'CLEAR', recipientOrgIds: [], recipientUserIds: [] };
    const bundles = [
      ...TLP_LEVELS.map((tlp) =>
        toStixBundle([{ incident: { ...incident, tlp }, organization: own.shown }], { producedAt: own.org.createdAt }),
      ),
      // Each organization's creation as its identity's time: an identity keeps one version.
      ...members.map(({ org, shown }) =>
        toStixBundle([{ incident, organization: shown }], { producedAt: org.createdAt }),
      ),
    ];
    const byId = new Map<string, NewTaxiiObject>();
    for (const bundle of bundles)
      for (const stix of bundle?.objects ?? [])
        if (SHARED_TYPES.has(stix.type))
          byId.set(
            `${stix.id}|${(stix as { modified?: string; created?: string }).modified ?? (stix as { created?: string }).created}`,
            entryOf(stix, null, shared),
          );
    return [...byId.values()];
  }
}

type ShownOrganization = { id: string; name: string; kind: 'cert' | 'agency' };

function shownAs(org: Organization, anonymous: boolean, collectionId: string): ShownOrganization {
  return anonymous
    ? {
        id: anonymousIdentitySeed(collectionId, org.id),
        name: org.kind === 'cert' ? 'a partner CERT' : 'a partner agency',
        kind: org.kind,
      }
    : { id: org.id, name: org.name, kind: org.kind };
}

function entryOf(
  stix: StixObject,
  incidentId: string | null,
  visibility: Shareable,
  fallbackVersion?: string,
): NewTaxiiObject {
  const object = stix as unknown as Record<string, unknown>;
  const versionText = (object.modified ?? object.created ?? fallbackVersion) as string;
  const version = parseTimestampMicros(versionText);
  if (version === undefined) throw new Error(`STIX object ${stix.id} has no valid modified or created`);
  return {
    stixId: stix.id,
    type: stix.type,
    specVersion: stix.spec_version,
    version,
    versionText,
    mediaType: STIX_MEDIA_TYPE,
    object,
    incidentId,
    visibility,
  };
}
