import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import {
  decodeIndexEntry,
  derivedKey,
  encodeIndexEntry,
  type IndexEntry,
  type IndexPlan,
  type IndexProbe,
  type IndexStore,
  type IpFamily,
} from '@corridor/domain';
import { PERSISTENCE_OPTIONS, REDIS_CLIENT, type PersistenceOptions } from '../tokens';
import { releaseLock, tryLock } from './redis-lock';

/**
 * Runs one incident's index plans (see `indexPlan` in the domain) in one atomic step: first every
 * probe (reads), then every store (writes), so of two incidents indexed at the same time exactly one
 * sees the other, and a retried call adds nothing twice. Each probe costs a bounded number of reads
 * whatever the index size: one set, one set per prefix length present, one capped range, or one
 * capped alias set and one set per alias. A set or range larger than the hot threshold answers its
 * size only. Every key shares the hash tag of ARGV[1], so Redis Cluster keeps the index in one slot.
 *
 * Reply: per probe, `{size, member...}`; members of sets that do not name their indicator get it
 * appended (`incidentId|orgId|type:value`). ARGV[5], when given, is where alias sets are read (the
 * watch index reads the correlation index's aliases); otherwise ARGV[1].
 */
const INDEX_SCRIPT = `
local base = ARGV[1]
local entry = ARGV[2]
local cap = tonumber(ARGV[3])
local plan = cjson.decode(ARGV[4])
local aliasBase = ARGV[5] or base
local function named(member, key)
  local first = string.find(member, '|', 1, true)
  if key and first and not string.find(member, '|', first + 1, true) then return member .. '|' .. key end
  return member
end
local function collect(reply, key, name)
  local size = redis.call('SCARD', key)
  if size > reply[1] then reply[1] = size end
  if size > 0 and size <= cap then
    for _, member in ipairs(redis.call('SMEMBERS', key)) do reply[#reply + 1] = named(member, name) end
  end
end
local function v4net(n, p)
  local size = 2 ^ (32 - p)
  return string.format('%.0f', math.floor(n / size) * size)
end
local function v6net(h, p)
  local full = math.floor(p / 4)
  local rest = p % 4
  local s = string.sub(h, 1, full)
  if rest > 0 then
    local d = tonumber(string.sub(h, full + 1, full + 1), 16)
    local step = 2 ^ (4 - rest)
    s = s .. string.format('%x', d - (d % step))
  end
  return s .. string.rep('0', 32 - #s)
end
local out = {}
for i, probe in ipairs(plan.p) do
  local reply = { 0 }
  if probe.o == 's' then
    collect(reply, base .. 'v:' .. probe.k, probe.k)
  elseif probe.o == 'a' then
    for _, alias in ipairs(redis.call('SRANDMEMBER', aliasBase .. 'v:' .. probe.k, 16)) do
      collect(reply, base .. 'v:' .. alias, alias)
    end
  elseif probe.o == 'w' then
    local n = tonumber(probe.s)
    for _, p in ipairs(redis.call('SMEMBERS', base .. 'pl:' .. probe.f)) do
      local length = tonumber(p)
      if length <= probe.m then
        local net = probe.f == 4 and v4net(n, length) or v6net(probe.s, length)
        collect(reply, base .. 'v:c' .. probe.f .. ':' .. net .. '/' .. p, nil)
      end
    end
  elseif probe.o == 'r' then
    local z = base .. 'z:' .. probe.z .. probe.f
    local found
    if probe.f == 4 then
      found = redis.call('ZRANGEBYSCORE', z, probe.lo, probe.hi, 'LIMIT', 0, cap + 1)
    else
      found = redis.call('ZRANGEBYLEX', z, '[' .. probe.lo, '(' .. probe.hi .. '}', 'LIMIT', 0, cap + 1)
    end
    reply[1] = #found
    if #found <= cap then
      for _, member in ipairs(found) do
        if probe.f == 6 then member = string.sub(member, 34) end
        reply[#reply + 1] = member
      end
    end
  end
  out[i] = reply
end
for _, s in ipairs(plan.s) do
  if s.o == 's' then
    local key = base .. 'v:' .. s.k
    if s.m then
      redis.call('SADD', key, entry .. '|' .. s.m)
    else
      redis.call('SADD', key, entry)
      local size = redis.call('SCARD', key)
      if size > cap then redis.call('ZADD', base .. 'hot', size, s.k) end
    end
  elseif s.o == 'a' then
    redis.call('SADD', base .. 'v:' .. s.k, s.m)
  elseif s.o == 'z' then
    if s.f == 4 then
      redis.call('ZADD', base .. 'z:' .. s.z .. '4', tonumber(s.sc), entry .. '|' .. s.m)
    else
      redis.call('ZADD', base .. 'z:' .. s.z .. '6', 0, s.sc .. '|' .. entry .. '|' .. s.m)
    end
  elseif s.o == 'p' then
    redis.call('SADD', base .. 'pl:' .. s.f, s.p)
  end
end
return out
`;

/** Version of the key layout, kept in the ready mark. */
const LAYOUT = 'kinds-1';

type WireProbe =
  | { o: 's'; k: string }
  | { o: 'a'; k: string }
  | { o: 'w'; f: IpFamily; s: string; m: number }
  | { o: 'r'; z: 'a' | 'n'; f: IpFamily; lo: string; hi: string };
type WireStore =
  | { o: 's'; k: string; m?: string }
  | { o: 'a'; k: string; m: string }
  | { o: 'z'; z: 'a' | 'n'; f: IpFamily; sc: string; m: string }
  | { o: 'p'; f: IpFamily; p: number };

function wireProbe(probe: IndexProbe): WireProbe {
  switch (probe.op) {
    case 'set':
      return { o: 's', k: probe.key };
    case 'alias':
      return { o: 'a', k: probe.key };
    case 'within':
      return { o: 'w', f: probe.family, s: probe.sort, m: probe.maxPrefix };
    case 'range':
      return { o: 'r', z: probe.of === 'address' ? 'a' : 'n', f: probe.family, lo: probe.lo, hi: probe.hi };
  }
}

function wireStores(store: IndexStore, indicatorKey: string): WireStore[] {
  switch (store.op) {
    case 'set':
      return [store.withValue ? { o: 's', k: store.key, m: indicatorKey } : { o: 's', k: store.key }];
    case 'alias':
      return [{ o: 'a', k: store.key, m: store.alias }];
    case 'address':
      return [{ o: 'z', z: 'a', f: store.family, sc: store.sort, m: indicatorKey }];
    case 'network':
      return [
        { o: 'z', z: 'n', f: store.family, sc: store.sort, m: indicatorKey },
        { o: 'p', f: store.family, p: store.prefix },
        { o: 's', k: derivedKey.network(store.family, store.sort, store.prefix), m: indicatorKey },
      ];
  }
}

/** One indicator to index: its key and its plan. */
export interface PlannedIndicator {
  key: string;
  plan: IndexPlan;
}

export interface ProbeResult {
  probe: IndexProbe;
  /** Incidents found, each naming the indicator it carries (`key`). */
  entries: Array<IndexEntry & { key: string }>;
  /** The largest set (or range) read: above the hot threshold nothing is returned. */
  size: number;
  hot: boolean;
}

export interface HotValue {
  key: string;
  incidents: number;
}

export interface IndexSource {
  id: string;
  orgId: string;
  indicators: PlannedIndicator[];
}

interface IndexCommands {
  cxIndex(
    layoutKey: string,
    base: string,
    entry: string,
    cap: string,
    plan: string,
    aliasBase?: string,
  ): Promise<unknown>;
}

/** Where one index keeps its keys (all under the hash tag `{cx}`) and reads hash aliases. */
interface IndexNames {
  base: string;
  aliasBase: string;
  readyKey: string;
  lockKey: string;
  /** Key patterns a rebuild deletes. */
  clearPatterns: string[];
  /** Named in errors and logs. */
  label: string;
}

function indexCommands(redis: Redis): Redis & IndexCommands {
  if (!('cxIndex' in redis)) redis.defineCommand('cxIndex', { numberOfKeys: 1, lua: INDEX_SCRIPT });
  return redis as Redis & IndexCommands;
}

/**
 * An index of planned values (see `indexPlan` in the domain) kept in Redis: the correlation index
 * (incidents) and the watch index (watched values) share the script and the layout, each under its
 * own key base. Rebuildable from the store at any time.
 */
export class PlanIndex {
  protected readonly base: string;
  private readonly aliasBase: string;
  private readonly readyKey: string;
  private readonly lockKey: string;
  private readonly clearPatterns: string[];
  private readonly label: string;
  protected readonly redis: Redis & IndexCommands;

  protected constructor(
    redis: Redis,
    protected readonly options: PersistenceOptions,
    names: IndexNames,
  ) {
    this.base = names.base;
    this.aliasBase = names.aliasBase;
    this.readyKey = names.readyKey;
    this.lockKey = names.lockKey;
    this.clearPatterns = names.clearPatterns;
    this.label = names.label;
    this.redis = indexCommands(redis);
  }

  /** Adds one incident under every key its indicators are stored under, and returns what each probe found. */
  async indexAndLookup(entry: IndexEntry, indicators: readonly PlannedIndicator[]): Promise<ProbeResult[][]> {
    return this.run(entry, indicators, true);
  }

  /** What the indicators' probes find, without adding anything (search). */
  async lookup(indicators: readonly PlannedIndicator[]): Promise<ProbeResult[][]> {
    return this.run({ incidentId: '-', orgId: '-' }, indicators, false);
  }

  /** The incidents carrying one exact key. */
  async entriesOf(key: string): Promise<IndexEntry[]> {
    const members = await this.redis.smembers(`${this.base}v:${key}`);
    return members.map(decodeIndexEntry).filter((e): e is IndexEntry => e !== undefined);
  }

  /** Values carried by more incidents than the hot threshold, most first, with their counts. */
  async hotValues(limit: number): Promise<HotValue[]> {
    const reply = await this.redis.zrevrange(`${this.base}hot`, 0, limit - 1, 'WITHSCORES');
    const out: HotValue[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) out.push({ key: reply[i], incidents: Number(reply[i + 1]) });
    return out;
  }

  /** Of `keys`, those that are hot, with their counts. */
  async hotCounts(keys: readonly string[]): Promise<Map<string, number>> {
    const unique = [...new Set(keys)];
    if (unique.length === 0) return new Map();
    const scores = await this.redis.zmscore(`${this.base}hot`, ...unique);
    const out = new Map<string, number>();
    unique.forEach((key, i) => {
      const score = scores[i];
      if (score !== null && score !== undefined) out.set(key, Number(score));
    });
    return out;
  }

  get hotThreshold(): number {
    return this.options.correlationHotThreshold;
  }

  private async run(entry: IndexEntry, indicators: readonly PlannedIndicator[], store: boolean) {
    if (indicators.length === 0) return [];
    const probes = indicators.flatMap((indicator) => indicator.plan.probes);
    const stores = store
      ? indicators.flatMap((indicator) => indicator.plan.stores.flatMap((s) => wireStores(s, indicator.key)))
      : [];
    const replies = (await this.redis.cxIndex(
      `${this.base}pl:4`,
      this.base,
      encodeIndexEntry(entry),
      String(this.options.correlationHotThreshold),
      JSON.stringify({ p: probes.map(wireProbe), s: stores }),
      this.aliasBase,
    )) as Array<Array<string | number>>;
    let at = 0;
    return indicators.map((indicator) =>
      indicator.plan.probes.map((probe): ProbeResult => {
        const [size, ...members] = replies[at++] ?? [0];
        const entries = members
          .map((member) => decodeIndexEntry(String(member)))
          .filter((e): e is IndexEntry & { key: string } => e?.key !== undefined);
        return { probe, entries, size: Number(size), hot: Number(size) > this.options.correlationHotThreshold };
      }),
    );
  }

  /**
   * Takes one entry out of every key its indicators are stored under (what `indexAndLookup` added):
   * set members and sorted-set members. Prefix lengths stay listed (another entry may use them; an
   * unused one costs one empty read), and so do hash aliases (they describe files, not entries).
   */
  protected async unstore(entry: IndexEntry, indicators: readonly PlannedIndicator[]): Promise<void> {
    const member = encodeIndexEntry(entry);
    const multi = this.redis.multi();
    for (const indicator of indicators) {
      for (const store of indicator.plan.stores.flatMap((s) => wireStores(s, indicator.key))) {
        switch (store.o) {
          case 's':
            multi.srem(`${this.base}v:${store.k}`, store.m === undefined ? member : `${member}|${store.m}`);
            break;
          case 'z':
            multi.zrem(
              `${this.base}z:${store.z}${store.f}`,
              store.f === 4 ? `${member}|${store.m}` : `${store.sc}|${member}|${store.m}`,
            );
            break;
          case 'a':
          case 'p':
            break;
        }
      }
    }
    await multi.exec();
  }

  /** Takes an incident's (retracted) indicators out of the index: they match nothing from now on. */
  async removeEntries(entry: IndexEntry, indicators: readonly PlannedIndicator[]): Promise<void> {
    await this.unstore(entry, indicators);
  }

  /**
   * Takes back hash alias pairs (correlation keys, see `retractedAliasPairs`): each is dropped from
   * both alias sets unless another indexed incident still carries both hashes (call after the
   * retracted entries were removed).
   */
  async removeAliases(pairs: ReadonlyArray<readonly [string, string]>): Promise<void> {
    for (const [a, b] of pairs) {
      const shared = await this.redis.sinter(`${this.base}v:${a}`, `${this.base}v:${b}`);
      if (shared.length > 0) continue;
      await this.redis
        .multi()
        .srem(`${this.aliasBase}v:${derivedKey.aliasesOf(a)}`, b)
        .srem(`${this.aliasBase}v:${derivedKey.aliasesOf(b)}`, a)
        .exec();
    }
  }

  /** The ready mark names the layout, so an index of an earlier layout is rebuilt, not trusted. */
  async isReady(): Promise<boolean> {
    return (await this.redis.get(this.readyKey))?.startsWith(`${LAYOUT}:`) === true;
  }

  /**
   * Makes sure the index exists: when Redis lost it (restarted empty), one process rebuilds it from
   * the store while the others wait for the ready mark.
   */
  async ensureReady(source: () => AsyncIterable<IndexSource>, waitMs = 60_000): Promise<'ready' | 'rebuilt'> {
    if (await this.isReady()) return 'ready';
    if (await this.withLock(() => this.fill(source))) return 'rebuilt';
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (await this.isReady()) return 'ready';
    }
    throw new Error(`the ${this.label} is being rebuilt by another process; retry later`);
  }

  /** Drops the whole index and rebuilds it from the store; returns how many incidents it indexed. */
  async rebuild(source: () => AsyncIterable<IndexSource>, progress?: (count: number) => void): Promise<number> {
    let count = -1;
    const locked = await this.withLock(async () => {
      await this.redis.del(this.readyKey);
      await this.clear();
      count = await this.fill(source, progress);
    });
    if (!locked) throw new Error(`another process is rebuilding the ${this.label}`);
    return count;
  }

  private async withLock(work: () => Promise<unknown>): Promise<boolean> {
    const token = await tryLock(this.redis, this.lockKey, 10 * 60_000);
    if (!token) return false;
    try {
      await work();
      return true;
    } finally {
      await releaseLock(this.redis, this.lockKey, token);
    }
  }

  private async fill(source: () => AsyncIterable<IndexSource>, progress?: (count: number) => void): Promise<number> {
    let count = 0;
    let pipeline = this.redis.pipeline() as unknown as IndexCommands & { length: number; exec(): Promise<unknown> };
    const cap = String(this.options.correlationHotThreshold);
    for await (const incident of source()) {
      const stores = incident.indicators.flatMap((i) => i.plan.stores.flatMap((s) => wireStores(s, i.key)));
      const member = encodeIndexEntry({ incidentId: incident.id, orgId: incident.orgId });
      void pipeline.cxIndex(`${this.base}pl:4`, this.base, member, cap, JSON.stringify({ p: [], s: stores }));
      count++;
      if (pipeline.length >= 1000) {
        await pipeline.exec();
        progress?.(count);
        pipeline = this.redis.pipeline() as unknown as typeof pipeline;
      }
    }
    await pipeline.exec();
    progress?.(count);
    await this.redis.set(this.readyKey, `${LAYOUT}:${new Date().toISOString()}`);
    return count;
  }

  /** Deletes the index (for the correlation index, also the single-key layout of earlier versions). */
  private async clear(): Promise<void> {
    for (const pattern of this.clearPatterns) {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length > 0) await this.redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  }
}

/**
 * The correlation index: for each canonical value and each derived relation, the incidents that
 * carry it. Lives in Redis so correlating never scans the store; rebuildable from the store at any time.
 */
@Injectable()
export class CorrelationIndex extends PlanIndex {
  constructor(@Inject(REDIS_CLIENT) redis: Redis, @Inject(PERSISTENCE_OPTIONS) options: PersistenceOptions) {
    // One hash tag ({cx}) for every key a script touches: Redis Cluster keeps them in one slot.
    const base = `${options.redisPrefix}:{cx}:`;
    super(redis, options, {
      base,
      aliasBase: base,
      readyKey: `${options.redisPrefix}:cx:ready`,
      lockKey: `${options.redisPrefix}:cx:lock`,
      clearPatterns: [`${base}*`, `${options.redisPrefix}:cx:v:*`],
      label: 'correlation index',
    });
  }
}
