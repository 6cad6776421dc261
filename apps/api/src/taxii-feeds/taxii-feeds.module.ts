import { Module } from '@nestjs/common';
import { TaxiiFeedsController } from './taxii-feeds.controller';
import { TaxiiFeeds } from './usecases/taxii-feeds.service';

/** TAXII 2.1 client feeds (issue #11 §4): registration here; the worker pulls. */
@Module({ controllers: [TaxiiFeedsController], providers: [TaxiiFeeds] })
export class TaxiiFeedsModule {}
