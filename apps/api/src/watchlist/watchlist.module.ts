import { Module } from '@nestjs/common';
import { AddWatchEntries } from './usecases/add-watch-entries.service';
import { ListWatchHits } from './usecases/list-watch-hits.service';
import { ListWatchlist } from './usecases/list-watchlist.service';
import { RemoveWatchEntry } from './usecases/remove-watch-entry.service';
import { WatchlistController } from './watchlist.controller';

/** Watchlists (issue #9 §5): values an organization watches, bulk import, and where they appeared. */
@Module({
  controllers: [WatchlistController],
  providers: [ListWatchlist, AddWatchEntries, RemoveWatchEntry, ListWatchHits],
})
export class WatchlistModule {}
