import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { planIncident, watchPlan, type IndexedIndicator, type WatchEntry } from '@corridor/domain';
import { PERSISTENCE_OPTIONS, REDIS_CLIENT, type PersistenceOptions } from '../tokens';
import { PlanIndex, type ProbeResult } from './correlation-index';

/** Entries added to the index concurrently (ioredis pipelines what is sent without waiting). */
const ADD_BATCH = 500;

/**
 * The watch index: every organization's watched values, stored exactly as the correlation index
 * stores an incident's indicators (an entry stands where an incident would: `watchId|orgId`), so an
 * incident's own probes find the watched values its indicators relate to — a watched range from an
 * address inside it, a watched domain from its subdomains, URLs and e-mail addresses, a watched hash
 * from another hash of the same file — in a bounded number of Redis reads, never a store scan.
 *
 * Keys are `<REDIS_PREFIX>:{cx}w:…`: the same hash tag as the correlation index, because a hash's
 * probe reads the correlation index's alias sets (which files other incidents reported together) and
 * the watch sets in one script, which Redis Cluster allows only within one slot; the distinct base
 * keeps the two apart (a rebuild of one never deletes the other). Rebuildable from the store.
 */
@Injectable()
export class WatchIndex extends PlanIndex {
  constructor(@Inject(REDIS_CLIENT) redis: Redis, @Inject(PERSISTENCE_OPTIONS) options: PersistenceOptions) {
    super(redis, options, {
      base: `${options.redisPrefix}:{cx}w:`,
      aliasBase: `${options.redisPrefix}:{cx}:`,
      readyKey: `${options.redisPrefix}:cxw:ready`,
      lockKey: `${options.redisPrefix}:cxw:lock`,
      clearPatterns: [`${options.redisPrefix}:{cx}w:*`],
      label: 'watch index',
    });
  }

  /** Adds entries (again: adding one twice changes nothing). */
  async add(entries: ReadonlyArray<Pick<WatchEntry, 'id' | 'orgId' | 'type' | 'value'>>): Promise<void> {
    for (let i = 0; i < entries.length; i += ADD_BATCH) {
      await Promise.all(
        entries.slice(i, i + ADD_BATCH).map((entry) => {
          const { key, plan } = watchPlan(entry);
          return this.indexAndLookup({ incidentId: entry.id, orgId: entry.orgId }, [
            { key, plan: { stores: plan.stores, probes: [] } },
          ]);
        }),
      );
    }
  }

  async remove(entry: Pick<WatchEntry, 'id' | 'orgId' | 'type' | 'value'>): Promise<void> {
    await this.unstore({ incidentId: entry.id, orgId: entry.orgId }, [watchPlan(entry)]);
  }

  /**
   * The watch entries an incident's indicators relate to: per indicator, per probe, the entries found
   * (`incidentId` is the entry's id, `orgId` the watching organization, `key` the watched value).
   */
  async match(indicators: readonly IndexedIndicator[]): Promise<ProbeResult[][]> {
    return this.lookup(planIncident(indicators));
  }
}
