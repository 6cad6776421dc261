import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { CommentsRepository } from './mongo/comments.repository';
import { SightingsRepository } from './mongo/sightings.repository';
import { TimelineRepository } from './mongo/timeline.repository';
import { CommunitiesRepository } from './mongo/communities.repository';
import { ContactRequestsRepository } from './mongo/contact-requests.repository';
import { AuditRepository } from './mongo/audit.repository';
import { connectMongo } from './mongo/connection';
import { RefreshTokensRepository } from './mongo/refresh-tokens.repository';
import { UsersRepository } from './mongo/users.repository';
import { Principals } from './mongo/principals';
import { CorrelationsRepository } from './mongo/correlations.repository';
import { FalsePositivesRepository } from './mongo/false-positives.repository';
import { IncidentsRepository } from './mongo/incidents.repository';
import { OrganizationsRepository } from './mongo/organizations.repository';
import { CorrelationIndex } from './redis/correlation-index';
import { DocumentLocks } from './redis/document-locks';
import { IncidentVisibility } from './redis/incident-visibility';
import { SharingDirectory } from './redis/sharing-directory';
import { SharingVersion } from './redis/sharing-version';
import { WatchHitsRepository, WatchlistRepository } from './mongo/watchlist.repository';
import { WatchIndex } from './redis/watch-index';
import { AlertsRepository, NotificationRulesRepository, RulesCache } from './mongo/alerting.repository';
import { WebhookDeliveriesRepository, WebhookEndpointsRepository } from './mongo/webhooks.repository';
import { EscalationPoliciesRepository, OnCallSchedulesRepository } from './mongo/oncall.repository';
import { MailMessagesRepository } from './mongo/mail-messages.repository';
import { DeadlineProfilesRepository, IncidentDeadlinesRepository } from './mongo/deadlines.repository';
import { RetractionsRepository } from './mongo/retractions.repository';
import { ImportsRepository } from './mongo/imports.repository';
import { TaxiiFeedsRepository } from './mongo/taxii-feeds.repository';
import { TaxiiRepository } from './mongo/taxii.repository';
import { TaxiiDateAdded } from './redis/taxii-date-added';
import { TaxiiPublisher } from './taxii/taxii-publisher';
import { MONGO_CONNECTION, PERSISTENCE_OPTIONS, REDIS_CLIENT, type PersistenceOptions } from './tokens';

/** A Redis client for commands (not subscriptions) that fails fast instead of queueing while down. */
export function createRedisClient(url: string, timeoutMs: number): Redis {
  return new Redis(url, {
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
}

@Injectable()
class ConnectionsCloser implements OnApplicationShutdown {
  constructor(
    @Inject(MONGO_CONNECTION) private readonly mongo: Connection,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.mongo.close().catch(() => undefined);
    this.redis.disconnect();
  }
}

const repositories = [
  OrganizationsRepository,
  IncidentsRepository,
  CorrelationsRepository,
  FalsePositivesRepository,
  CorrelationIndex,
  UsersRepository,
  ContactRequestsRepository,
  CommunitiesRepository,
  RefreshTokensRepository,
  AuditRepository,
  CommentsRepository,
  SightingsRepository,
  TimelineRepository,
  DocumentLocks,
  SharingVersion,
  SharingDirectory,
  IncidentVisibility,
  Principals,
  WatchlistRepository,
  WatchHitsRepository,
  WatchIndex,
  NotificationRulesRepository,
  RulesCache,
  AlertsRepository,
  RetractionsRepository,
  ImportsRepository,
  TaxiiFeedsRepository,
  WebhookEndpointsRepository,
  WebhookDeliveriesRepository,
  OnCallSchedulesRepository,
  EscalationPoliciesRepository,
  MailMessagesRepository,
  DeadlineProfilesRepository,
  IncidentDeadlinesRepository,
  TaxiiDateAdded,
  TaxiiRepository,
  TaxiiPublisher,
];

/** The store connections, the repositories and the Redis correlation index. */
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [
        { provide: PERSISTENCE_OPTIONS, useValue: options },
        { provide: MONGO_CONNECTION, useFactory: () => connectMongo(options.mongoUri, options.storeTimeoutMs) },
        { provide: REDIS_CLIENT, useFactory: () => createRedisClient(options.redisUrl, options.storeTimeoutMs) },
        ConnectionsCloser,
        ...repositories,
      ],
      exports: [MONGO_CONNECTION, REDIS_CLIENT, PERSISTENCE_OPTIONS, ...repositories],
    };
  }
}
