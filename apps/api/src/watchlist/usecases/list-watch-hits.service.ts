import { Injectable } from '@nestjs/common';
import { watchHitViewFor, type Principal, type WatchHitView } from '@corridor/domain';
import { IncidentsRepository, SharingDirectory, WatchHitsRepository, type PagePosition } from '@corridor/persistence';
import type { WatchHitPage } from '@corridor/realtime';
import type { PageQuery } from '../../common/page.query';
import { decodePosition, encodePosition } from '../../common/position-cursor';

const DEFAULT_PAGE = 50;

/**
 * The caller's organization's watch hits, newest first, each worded for the caller now by the same
 * view as the live `watchlist.hit`: the incident in full when the caller may see it, otherwise what
 * its owner discloses. Hits on incidents no longer in the store are left out.
 */
@Injectable()
export class ListWatchHits {
  constructor(
    private readonly hits: WatchHitsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly sharing: SharingDirectory,
  ) {}

  async execute(principal: Principal, query: PageQuery): Promise<WatchHitPage> {
    const sharing = await this.sharing.context();
    const viewer = sharing.viewerFor(principal);
    const limit = query.limit ?? DEFAULT_PAGE;
    let after = decodePosition(query.cursor, 'wh');
    const found: Array<{ view: WatchHitView; position: PagePosition }> = [];
    while (found.length <= limit) {
      const batch = await this.hits.page(principal.orgId, after, limit + 1);
      if (batch.length === 0) break;
      const incidents = await this.incidents.findHeads(batch.map((hit) => hit.incidentId));
      for (const hit of batch) {
        const incident = incidents.get(hit.incidentId);
        const view = incident ? watchHitViewFor(viewer, hit, incident, sharing) : undefined;
        if (view) found.push({ view, position: { createdAt: hit.createdAt, id: hit.id } });
        if (found.length > limit) break;
      }
      if (batch.length <= limit) break;
      const last = batch[batch.length - 1];
      after = { createdAt: last.createdAt, id: last.id };
    }
    const page = found.slice(0, limit);
    return {
      items: page.map((entry) => entry.view),
      nextCursor: found.length > limit ? encodePosition(page[page.length - 1].position) : null,
    };
  }
}
