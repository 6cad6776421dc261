import { Injectable } from '@nestjs/common';
import {
  DomainError,
  hasScope,
  notFound,
  visibilityFilter,
  type Community,
  type Principal,
  type Viewer,
  type VisibilityFilter,
} from '@corridor/domain';
import {
  CommunitiesRepository,
  SharingDirectory,
  TaxiiRepository,
  type TaxiiCollectionRecord,
} from '@corridor/persistence';

export interface CallerCollection {
  collection: TaxiiCollectionRecord;
  community: Community;
}

export interface ReadableCollection extends CallerCollection {
  viewer: Viewer;
  visibility: VisibilityFilter;
}

/**
 * Which collections a caller has (one per community of its organization) and what it may do there:
 * `can_read` with the `incidents:read` scope, `can_write` with `incidents:write` (a person's roles
 * give scopes; an API key carries those it was issued with). A collection of a community the caller
 * is not in is a 404, as a missing one.
 */
@Injectable()
export class TaxiiAccess {
  constructor(
    private readonly communities: CommunitiesRepository,
    private readonly taxii: TaxiiRepository,
    private readonly sharing: SharingDirectory,
  ) {}

  canRead(principal: Principal): boolean {
    return hasScope(principal, 'incidents:read');
  }

  canWrite(principal: Principal): boolean {
    return hasScope(principal, 'incidents:write');
  }

  async collectionsOf(principal: Principal): Promise<CallerCollection[]> {
    const communities = (await this.communities.all()).filter((c) =>
      c.members.some((m) => m.orgId === principal.orgId),
    );
    const out: CallerCollection[] = [];
    for (const community of communities)
      out.push({ community, collection: await this.taxii.collectionOf(community.id) });
    return out;
  }

  async requireCollection(principal: Principal, collectionId: string): Promise<CallerCollection> {
    const collection = collectionId.length <= 64 ? await this.taxii.findCollection(collectionId) : undefined;
    const community = collection ? await this.communities.findById(collection.communityId) : undefined;
    if (!collection || !community || !community.members.some((m) => m.orgId === principal.orgId))
      throw notFound('collection');
    return { collection, community };
  }

  /** A collection the caller may read, with who it is to the visibility rule. */
  async requireReadable(principal: Principal, collectionId: string): Promise<ReadableCollection> {
    const found = await this.requireCollection(principal, collectionId);
    if (!this.canRead(principal)) throw new DomainError('forbidden', 'this credential may not read (incidents:read)');
    const viewer = (await this.sharing.context()).viewerFor(principal);
    return { ...found, viewer, visibility: visibilityFilter(viewer) };
  }

  /** A collection the caller may write to. */
  async requireWritable(principal: Principal, collectionId: string): Promise<ReadableCollection> {
    const found = await this.requireCollection(principal, collectionId);
    if (!this.canWrite(principal))
      throw new DomainError('forbidden', 'this credential may not write (incidents:write)');
    const viewer = (await this.sharing.context()).viewerFor(principal);
    return { ...found, viewer, visibility: visibilityFilter(viewer) };
  }
}
