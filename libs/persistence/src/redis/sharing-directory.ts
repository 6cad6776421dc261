import { Injectable } from '@nestjs/common';
import { SharingContext } from '@corridor/domain';
import { CommunitiesRepository } from '../mongo/communities.repository';
import { OrganizationsRepository } from '../mongo/organizations.repository';
import { SharingVersion } from './sharing-version';

/**
 * The sharing context (communities, organizations and their disclosure policies) that every request,
 * job and live event needs, read from the store only when it changed: each process keeps the last
 * one it read with the version it read it at, and one Redis GET tells whether a writer (on any
 * instance, or the operator CLI) has bumped the version since. A change is therefore seen by the
 * very next request everywhere, and an unchanged directory costs no store read.
 *
 * While Redis is unreachable the version cannot be trusted, so the context is read from the store;
 * and a context is re-read after `MAX_AGE_MS` whatever the version says, so a bump lost to a Redis
 * outage delays a change by that much at most.
 */
const MAX_AGE_MS = 30_000;

@Injectable()
export class SharingDirectory {
  private cached?: { version: string; context: SharingContext; at: number };
  private loading?: { version: string; promise: Promise<SharingContext> };

  constructor(
    private readonly version: SharingVersion,
    private readonly communities: CommunitiesRepository,
    private readonly organizations: OrganizationsRepository,
  ) {}

  async context(): Promise<SharingContext> {
    let version: string;
    try {
      version = await this.version.current();
    } catch {
      this.cached = undefined;
      return this.load();
    }
    if (this.cached?.version === version && Date.now() - this.cached.at < MAX_AGE_MS) return this.cached.context;
    if (this.loading?.version === version) return this.loading.promise;
    const promise = this.load();
    this.loading = { version, promise };
    try {
      const context = await promise;
      this.cached = { version, context, at: Date.now() };
      return context;
    } finally {
      if (this.loading?.promise === promise) this.loading = undefined;
    }
  }

  private async load(): Promise<SharingContext> {
    const [communities, organizations] = await Promise.all([this.communities.all(), this.organizations.list()]);
    return new SharingContext(communities, organizations);
  }
}
