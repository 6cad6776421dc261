import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import {
  DomainError,
  newWatchEntry,
  readWatchFile,
  readWatchValue,
  watchEntryView,
  type Principal,
  type WatchEntry,
  type WatchEntryView,
  type WatchImportSummary,
} from '@corridor/domain';
import { WatchIndex, WatchlistRepository } from '@corridor/persistence';
import { RetroHuntProducer } from '@corridor/queue';
import { AuditService } from '../../audit/audit.service';
import type { CreateWatchEntryDto } from '../dto/watchlist.dto';

/**
 * Adds values to the caller's organization's watchlist, one (REST) or a text file's lines (import).
 * The store's unique index decides what is new; every value named is (re)added to the watch index,
 * and looked up among the incidents already processed (`watch-retro-hunt` jobs, see `retroHuntJobs`), so a request
 * retried after Redis could not be reached completes both.
 */
@Injectable()
export class AddWatchEntries {
  constructor(
    private readonly watchlist: WatchlistRepository,
    private readonly index: WatchIndex,
    private readonly audit: AuditService,
    private readonly retroHunts: RetroHuntProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The entry, and whether it is new (false: the value was already watched; that entry is returned). */
  async one(principal: Principal, input: CreateWatchEntryDto): Promise<{ entry: WatchEntryView; created: boolean }> {
    const read = readWatchValue(input.value, input.type);
    if (!read.ok) {
      throw new DomainError('validation_failed', 'request is invalid', {
        fields: [{ field: 'value', message: `${read.reason}: ${read.message}` }],
      });
    }
    const entry = newWatchEntry(
      principal.orgId,
      { ...read, note: input.note?.trim() || null },
      principal.id,
      new Date(),
    );
    const { added } = await this.store(principal, [entry]);
    if (added.length === 1) return { entry: watchEntryView(entry), created: true };
    const existing = await this.watchlist.find(principal.orgId, entry.id);
    return { entry: watchEntryView(existing ?? entry), created: false };
  }

  /** Every line of a text file: blank lines and `#` comments skipped, each refused line named. */
  async import(principal: Principal, text: string): Promise<WatchImportSummary> {
    const file = readWatchFile(text);
    const now = new Date();
    const entries = file.entries.map((line) => newWatchEntry(principal.orgId, line, principal.id, now));
    const { added, duplicates } = await this.store(principal, entries);
    return {
      added: added.length,
      duplicates: duplicates.length + file.repeated,
      rejected: file.rejected.map(({ line, value, reason, message }) => ({ line, value, reason, message })),
    };
  }

  private async store(principal: Principal, entries: WatchEntry[]) {
    const result = await this.watchlist.insert(entries);
    await this.index.add(entries);
    await this.retroHunt(entries);
    if (result.added.length > 0) {
      await this.audit.record(principal, {
        action: 'watchlist.add',
        target: { type: 'watchlist', id: result.added.length === 1 ? result.added[0].id : principal.orgId },
        details: { added: result.added.length, duplicates: result.duplicates.length },
      });
    }
    return result;
  }

  /**
   * Best effort: an entry whose job Redis did not take still matches every incident processed from now
   * on; it is looked up among earlier ones when it is named again.
   */
  private async retroHunt(entries: readonly WatchEntry[]): Promise<void> {
    try {
      await this.retroHunts.enqueue(entries.map((entry) => entry.id));
    } catch (error) {
      this.logger.warn({ entries: entries.length, err: error }, 'retro-hunt jobs not enqueued');
    }
  }
}
