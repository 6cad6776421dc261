import type Redis from 'ioredis';
import {
  assertDistinctReaders,
  ledgerMember,
  readerKey,
  readerOfLedgerMember,
  type DeliveryPlan,
  type Reader,
} from './delivery-plan';
import type { EventName } from './events';

/**
 * The live event log: one Redis stream per reader (organization or principal), holding the events
 * delivered to it, worded for it, for the replay window; and one pub/sub channel through which every
 * api instance hands new events to its own sockets.
 *
 * One Lua script allocates the event id, appends the event to each reader's stream and publishes it,
 * atomically: ids increase in the order events are published, on every reader's stream and on the
 * channel alike, so "everything after the last id I saw" is exact across publishers and instances.
 * Ids are `<ms>-<n>` (Redis server time, then a counter within the millisecond), also used as the
 * stream entry ids, so the window is trimmed by id (`XTRIM MINID`) and by length (`MAXLEN`).
 *
 * Every key carries the hash tag `{live}` so that a Redis Cluster keeps them in one slot, which the
 * script touching several of them needs.
 */
const APPEND = `
if KEYS[2] ~= KEYS[1] then
  local done = redis.call('GET', KEYS[2])
  if done then return done end
end
local t = redis.call('TIME')
local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local seq = 0
local last = redis.call('GET', KEYS[1])
if last then
  local dash = string.find(last, '-', 1, true)
  local lastMs = tonumber(string.sub(last, 1, dash - 1))
  if ms <= lastMs then
    ms = lastMs
    seq = tonumber(string.sub(last, dash + 1)) + 1
  end
end
local id = string.format('%d-%d', ms, seq)
redis.call('SET', KEYS[1], id)
local window = tonumber(ARGV[3])
if KEYS[2] ~= KEYS[1] then redis.call('SET', KEYS[2], id, 'PX', window + 60000) end
local minId = string.format('%d-0', ms - window)
for i = 3, #KEYS do
  redis.call('XADD', KEYS[i], 'MAXLEN', ARGV[2], id, 'e', ARGV[4], 'i', ARGV[5], 's', ARGV[6], 'p', ARGV[5 + i])
  redis.call('XTRIM', KEYS[i], 'MINID', minId)
  redis.call('PEXPIRE', KEYS[i], window + 60000)
end
redis.call('PUBLISH', ARGV[1], id .. ' ' .. ARGV[7])
return id
`;

export interface EventLogOptions {
  redisPrefix: string;
  /** How long events are kept for replay (default 24 h). */
  windowMs: number;
  /** How many events are kept per reader stream (default 10 000). */
  maxEvents: number;
}

/** An event as published on the channel: every reader's payload, for the api instances to hand out. */
export interface PublishedEvent {
  id: string;
  event: EventName;
  incidentId?: string;
  scope: 'feed' | 'incident';
  /** Reader key (`o:<orgId>` / `p:<principalId>`) → payload. */
  payloads: Map<string, unknown>;
}

/** An event read back from one reader's stream. */
export interface StoredEvent {
  id: string;
  /** The reader key of the stream it was read from. */
  reader: string;
  event: EventName;
  incidentId?: string;
  scope: 'feed' | 'incident';
  payload: unknown;
}

export type ReplayResult =
  | { ok: true; events: StoredEvent[] }
  | { ok: false; reason: 'beyond_window' | 'unknown_event'; oldestEventId: string | null };

const EVENT_ID = /^(\d{1,15})-(\d{1,10})$/;

/**
 * The position before every event: a socket that connected while the log was empty (a new Redis, or
 * one restarted empty) starts here, so everything appended later is replayed to it after a gap.
 */
export const LOG_START = '0-0';

export function isEventId(value: unknown): value is string {
  return typeof value === 'string' && EVENT_ID.test(value);
}

/** Orders two event ids (negative: `a` came first). */
export function compareEventIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}

export class EventLog {
  readonly channel: string;
  readonly controlChannel: string;
  private readonly lastKey: string;
  private readonly streamPrefix: string;
  private readonly oncePrefix: string;
  private readonly toldPrefix: string;
  private readonly knownPrefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: EventLogOptions,
  ) {
    this.channel = `${options.redisPrefix}:live:events`;
    this.controlChannel = `${options.redisPrefix}:live:control`;
    this.lastKey = `${options.redisPrefix}:{live}:last`;
    this.streamPrefix = `${options.redisPrefix}:{live}:s:`;
    this.oncePrefix = `${options.redisPrefix}:{live}:once:`;
    this.toldPrefix = `${options.redisPrefix}:{live}:told:`;
    this.knownPrefix = `${options.redisPrefix}:{live}:known:`;
    if (!redis.getBuiltinCommands().includes('corridorLiveAppend')) {
      redis.defineCommand('corridorLiveAppend', { lua: APPEND });
    }
  }

  streamKey(reader: string): string {
    return `${this.streamPrefix}${reader}`;
  }

  /**
   * Appends one event to its readers' streams and publishes it; resolves with its id, or undefined
   * when the plan has no reader. Rejects when Redis did not take it (the caller retries). With
   * `onceKey`, an event of that key already appended (within the replay window) is not appended
   * again: its id is returned — checked and recorded in the same script, so a retried job that
   * publishes again after a crash publishes once.
   */
  async append(plan: DeliveryPlan, options: { onceKey?: string } = {}): Promise<string | undefined> {
    if (plan.deliveries.length === 0) return undefined;
    assertDistinctReaders(plan);
    const readers = plan.deliveries.map((d) => readerKey(d.reader));
    const texts = plan.deliveries.map((d) => JSON.stringify(d.payload));
    // On the channel each distinct payload travels once.
    const distinct: string[] = [];
    const index = new Map<string, number>();
    const to: Array<[string, number]> = readers.map((reader, i) => {
      let at = index.get(texts[i]);
      if (at === undefined) {
        at = distinct.length;
        distinct.push(texts[i]);
        index.set(texts[i], at);
      }
      return [reader, at];
    });
    const message = `{"e":${JSON.stringify(plan.event)},"i":${JSON.stringify(plan.incidentId ?? '')},"s":"${plan.scope}","to":${JSON.stringify(to)},"p":[${distinct.join(',')}]}`;
    const about = plan.about ?? (plan.incidentId ? [plan.incidentId] : []);
    // The ledgers and the event in one transaction: whoever the event reaches is in the ledger.
    const multi = this.redis.multi();
    const members = plan.deliveries.map((d) => ledgerMember(d.reader));
    for (const incidentId of new Set(about)) multi.sadd(`${this.toldPrefix}${incidentId}`, ...members);
    // An event tied to an incident goes to readers who may see it at that moment: they learn its id.
    if (plan.incidentId) multi.sadd(`${this.knownPrefix}${plan.incidentId}`, ...members);
    (multi as unknown as Record<string, (...args: unknown[]) => unknown>).corridorLiveAppend.call(
      multi,
      2 + readers.length,
      this.lastKey,
      options.onceKey ? `${this.oncePrefix}${options.onceKey}` : this.lastKey,
      ...readers.map((r) => this.streamKey(r)),
      this.channel,
      String(this.options.maxEvents),
      String(this.options.windowMs),
      plan.event,
      plan.incidentId ?? '',
      plan.scope,
      message,
      ...texts,
    );
    const replies = (await multi.exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
    const last = replies[replies.length - 1];
    return last?.[1] as string;
  }

  /**
   * Adds readers to the ledgers of incidents they were told of outside the live channel (an export):
   * a retraction tells them too.
   */
  async recordTold(incidentIds: readonly string[], readers: readonly Reader[]): Promise<void> {
    if (incidentIds.length === 0 || readers.length === 0) return;
    const members = readers.map(ledgerMember);
    const pipeline = this.redis.pipeline();
    for (const incidentId of new Set(incidentIds)) {
      pipeline.sadd(`${this.toldPrefix}${incidentId}`, ...members);
      pipeline.sadd(`${this.knownPrefix}${incidentId}`, ...members);
    }
    const replies = (await pipeline.exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
  }

  /**
   * Everyone ever told of the incident (live events, exports), as readers; and the ledger members of
   * those who were told the incident itself (an event tied to it while they could see it, an export),
   * not only something related to it (a correlation with a hidden side). The ledgers have no expiry:
   * they outlive the replay window, as a retraction may come long after.
   */
  async told(incidentId: string): Promise<{ readers: Reader[]; knew: Set<string> }> {
    const [members, known] = await Promise.all([
      this.redis.smembers(`${this.toldPrefix}${incidentId}`),
      this.redis.smembers(`${this.knownPrefix}${incidentId}`),
    ]);
    return {
      readers: members.map(readerOfLedgerMember).filter((r): r is Reader => r !== undefined),
      knew: new Set(known),
    };
  }

  /** Decodes a channel message; undefined for anything malformed. */
  static decode(message: string): PublishedEvent | undefined {
    const space = message.indexOf(' ');
    const id = message.slice(0, space);
    if (space <= 0 || !isEventId(id)) return undefined;
    try {
      const body = JSON.parse(message.slice(space + 1)) as {
        e: EventName;
        i: string;
        s: 'feed' | 'incident';
        to: Array<[string, number]>;
        p: unknown[];
      };
      return {
        id,
        event: body.e,
        incidentId: body.i || undefined,
        scope: body.s,
        payloads: new Map(body.to.map(([reader, at]) => [reader, body.p[at]])),
      };
    } catch {
      return undefined;
    }
  }

  /** The newest event id of the deployment, if any event was ever published. */
  async lastId(): Promise<string | null> {
    return this.redis.get(this.lastKey);
  }

  /**
   * What `reader` was sent after `after`, oldest first; or why that cannot be told exactly: `after`
   * is older than the window or the stream was trimmed past it (`beyond_window`), or `after` was
   * never issued here (`unknown_event`). From `LOG_START`, everything the streams still hold.
   */
  async readAfter(readers: readonly string[], after: string, now = Date.now()): Promise<ReplayResult> {
    const fromStart = after === LOG_START;
    const last = await this.lastId();
    if (last === null && fromStart) return { ok: true, events: [] };
    if (last === null || compareEventIds(after, last) > 0) {
      return { ok: false, reason: 'unknown_event', oldestEventId: null };
    }
    const pipeline = this.redis.pipeline();
    for (const reader of readers) {
      pipeline.xrange(this.streamKey(reader), `(${after}`, '+');
      pipeline.xlen(this.streamKey(reader));
      pipeline.xrange(this.streamKey(reader), '-', '+', 'COUNT', 1);
    }
    const replies = (await pipeline.exec()) ?? [];
    const events: StoredEvent[] = [];
    let oldest: string | null = null;
    let trimmed = !fromStart && Number(after.split('-')[0]) < now - this.options.windowMs;
    for (let r = 0; r < readers.length; r++) {
      const [rangeError, range] = replies[r * 3] ?? [];
      const [lenError, length] = replies[r * 3 + 1] ?? [];
      const [firstError, first] = replies[r * 3 + 2] ?? [];
      const failed = rangeError ?? lenError ?? firstError;
      if (failed) throw failed;
      const firstId = (first as Array<[string, string[]]>)[0]?.[0];
      if (firstId && (oldest === null || compareEventIds(firstId, oldest) < 0)) oldest = firstId;
      if ((length as number) >= this.options.maxEvents && firstId && compareEventIds(firstId, after) > 0)
        trimmed = true;
      for (const [id, fields] of range as Array<[string, string[]]>) events.push(decodeEntry(id, readers[r], fields));
    }
    if (trimmed) return { ok: false, reason: 'beyond_window', oldestEventId: oldest };
    events.sort((a, b) => compareEventIds(a.id, b.id));
    return { ok: true, events };
  }
}

function decodeEntry(id: string, reader: string, fields: string[]): StoredEvent {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i], fields[i + 1]);
  return {
    id,
    reader,
    event: map.get('e') as EventName,
    incidentId: map.get('i') || undefined,
    scope: map.get('s') === 'incident' ? 'incident' : 'feed',
    payload: JSON.parse(map.get('p') ?? 'null'),
  };
}
