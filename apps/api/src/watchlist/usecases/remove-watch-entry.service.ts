import { Injectable } from '@nestjs/common';
import { notFound, type Principal } from '@corridor/domain';
import { WatchIndex, WatchlistRepository } from '@corridor/persistence';
import { AuditService } from '../../audit/audit.service';

/** Takes a value off the caller's organization's watchlist (hits already recorded stay). */
@Injectable()
export class RemoveWatchEntry {
  constructor(
    private readonly watchlist: WatchlistRepository,
    private readonly index: WatchIndex,
    private readonly audit: AuditService,
  ) {}

  /** 404 for an entry of another organization, as for a missing one. */
  async execute(principal: Principal, id: string): Promise<void> {
    const removed = await this.watchlist.remove(principal.orgId, id);
    if (!removed) throw notFound('watch entry');
    await this.index.remove(removed);
    await this.audit.record(principal, { action: 'watchlist.remove', target: { type: 'watchlist', id } });
  }
}
