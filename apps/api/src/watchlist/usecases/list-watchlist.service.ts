import { Injectable } from '@nestjs/common';
import { watchEntryView, type Principal, type WatchEntryView } from '@corridor/domain';
import { WatchlistRepository } from '@corridor/persistence';
import type { PageQuery } from '../../common/page.query';
import { decodePosition, encodePosition } from '../../common/position-cursor';

const DEFAULT_PAGE = 50;

/** The caller's organization's watched values, newest first. */
@Injectable()
export class ListWatchlist {
  constructor(private readonly watchlist: WatchlistRepository) {}

  async execute(
    principal: Principal,
    query: PageQuery,
  ): Promise<{ items: WatchEntryView[]; nextCursor: string | null }> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const entries = await this.watchlist.page(principal.orgId, decodePosition(query.cursor, 'wl'), limit + 1);
    const page = entries.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(watchEntryView),
      nextCursor: entries.length > limit && last ? encodePosition(last) : null,
    };
  }
}
