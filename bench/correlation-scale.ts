/* Correlation at scale: lookups of every kind against indexes of 10 k and 1 M indicators (Zipf-distributed
   values, 100 k CIDRs v4 + v6), the same reads as raw pipelined ioredis, CIDR containment against a naive
   scan, index memory per indicator, and a full `reindex` of 100 k incidents. Bench data lives under key
   prefixes of its own and is deleted afterwards. `--quick` (or BENCH_QUICK=1) runs small sizes. */
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import mongoose from 'mongoose';
import {
  derivedKey,
  ipv4Sort,
  networkSort,
  planIncident,
  relationBetween,
  type IndexedIndicator,
  type IndexProbe,
} from '@corridor/domain';
import { CorrelationIndex, type IndexSource } from '@corridor/persistence';
import { runCli } from '@corridor/testing';

export interface ScaleFigures {
  sizes: number[];
  cidrs: number;
  /** Per size: lookups/s per kind, mean ms per lookup (all kinds), raw pipelined lookups/s, load time. */
  perSize: Array<{
    indicators: number;
    loadMs: number;
    byKind: Record<string, number>;
    meanMs: number;
    /** Mean ms per lookup of values no incident carries yet (the index's own cost, no matches to return). */
    freshMeanMs: number;
    rawMeanMs: number;
    bytesPerIndicator: number;
  }>;
  /** Mean per-lookup cost at the largest size over the smallest (goal ≤ 1.5), Zipf draws and new values. */
  costRatio: number;
  freshCostRatio: number;
  /** Our lookups/s over raw pipelined ioredis doing the same reads, at the largest size (goal ≥ 0.8). */
  rawRatio: number;
  /** CIDR containment lookups/s: ours, a naive scan over the stored ranges, and their ratio (goal ≥ 100). */
  containment: { ours: number; naive: number; ratio: number };
  reindex?: { incidents: number; ms: number; perSecond: number };
}

export function quickMode(): boolean {
  return process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
}

const KINDS = ['ipv4', 'ipv6', 'cidr', 'domain', 'url', 'email', 'sha256'] as const;
type Kind = (typeof KINDS)[number];

/** Zipf (s ≈ 1) over ranks 1..universe: rank = universe^u, so rank r has probability ∝ 1/r. */
const zipf = (universe: number) => Math.max(1, Math.floor(universe ** Math.random()));

function valueOf(kind: Kind, rank: number): IndexedIndicator {
  switch (kind) {
    case 'ipv4':
      return { type: 'ipv4', value: `10.${(rank >> 16) & 255}.${(rank >> 8) & 255}.${rank & 255}` };
    case 'ipv6':
      return { type: 'ipv6', value: `2001:db8:${(rank >> 16).toString(16)}:${(rank & 0xffff).toString(16)}::1` };
    case 'cidr':
      return { type: 'cidr', value: `10.${(rank >> 8) & 255}.${rank & 255}.0/24` };
    case 'domain':
      return { type: 'domain', value: `h${rank % 5}.d${rank}.example.com` };
    case 'url':
      return { type: 'url', value: `https://d${rank}.example.net/p${rank % 97}` };
    case 'email':
      return { type: 'email', value: `u${rank % 13}@m${rank}.example.org` };
    case 'sha256':
      return { type: 'sha256', value: createHash('sha256').update(String(rank)).digest('hex') };
  }
}

/** A random reported range: v4 /8–/32 (mostly /16–/28), v6 /32–/64. */
function randomCidr(i: number): IndexedIndicator {
  const bytes = randomBytes(16);
  if (i % 2 === 0) {
    const prefix = 16 + (bytes[0] % 13) - (bytes[1] % 8 === 0 ? 8 : 0);
    const address = `${bytes[2]}.${bytes[3]}.${bytes[4]}.${bytes[5]}`;
    const network = networkSort(4, ipv4Sort(address), prefix);
    const n = Number(network);
    return { type: 'cidr', value: `${n >>> 24}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}/${prefix}` };
  }
  const prefix = 32 + (bytes[0] % 33);
  const groups = Array.from({ length: 4 }, (_, g) => bytes.readUInt16BE(2 + 2 * g));
  const bits = groups.map((word, g) => {
    const keep = Math.min(16, Math.max(0, prefix - 16 * (g + 2)));
    return keep === 0 ? 0 : word & ((0xffff << (16 - keep)) & 0xffff);
  });
  return { type: 'cidr', value: `2001:db8:${bits.map((w) => w.toString(16)).join(':')}::/${prefix}` };
}

async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Bytes the index holds, from MEMORY USAGE of a sample of its keys scaled to the key count. */
async function indexBytes(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let count = 0;
  const sample: string[] = [];
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
    for (const key of keys) {
      count++;
      if (sample.length < 3000) sample.push(key);
      else if (Math.random() < 3000 / count) sample[Math.floor(Math.random() * 3000)] = key;
    }
    cursor = next;
  } while (cursor !== '0');
  const pipeline = redis.pipeline();
  for (const key of sample) pipeline.memory('USAGE', key, 'SAMPLES', '5');
  const sizes = ((await pipeline.exec()) ?? []).map(([, size]) => Number(size ?? 0));
  const mean = sizes.reduce((a, b) => a + b, 0) / Math.max(sizes.length, 1);
  // The few large keys (address orders, prefix-length sets) are counted exactly.
  return mean * count;
}

/**
 * The same reads our script makes for one indicator, as plain pipelined ioredis commands: one
 * pipeline for the independent reads, a second for those that depend on the first (aliases,
 * prefix lengths). Not atomic, and it writes nothing.
 */
async function rawLookup(redis: Redis, base: string, probes: readonly IndexProbe[], cap: number): Promise<number> {
  const first = redis.pipeline();
  for (const probe of probes) {
    switch (probe.op) {
      case 'set':
        first.scard(`${base}v:${probe.key}`).smembers(`${base}v:${probe.key}`);
        break;
      case 'alias':
        first.srandmember(`${base}v:${probe.key}`, 16);
        break;
      case 'within':
        first.smembers(`${base}pl:${probe.family}`);
        break;
      case 'range':
        if (probe.family === 4)
          first.zrangebyscore(`${base}z:${probe.of[0]}4`, probe.lo, probe.hi, 'LIMIT', 0, cap + 1);
        else first.zrangebylex(`${base}z:${probe.of[0]}6`, `[${probe.lo}`, `(${probe.hi}}`, 'LIMIT', 0, cap + 1);
        break;
    }
  }
  const replies = (await first.exec()) ?? [];
  const second = redis.pipeline();
  let at = 0;
  for (const probe of probes) {
    if (probe.op === 'set') at += 2;
    else if (probe.op === 'range') at += 1;
    else {
      const members = (replies[at++]?.[1] ?? []) as string[];
      if (probe.op === 'alias')
        for (const alias of members) second.scard(`${base}v:${alias}`).smembers(`${base}v:${alias}`);
      else
        for (const length of members.map(Number).filter((p) => p <= probe.maxPrefix)) {
          const key = `${base}v:${derivedKey.network(probe.family, networkSort(probe.family, probe.sort, length), length)}`;
          second.scard(key).smembers(key);
        }
    }
  }
  if (second.length > 0) await second.exec();
  return replies.length;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

export async function correlationScale(env: Record<string, string>): Promise<ScaleFigures> {
  const quick = quickMode();
  const sizes = quick ? [10_000, 100_000] : [10_000, 1_000_000];
  const cidrCount = quick ? 10_000 : 100_000;
  const lookupsPerKind = quick ? 300 : 1000;
  const naiveLookups = quick ? 10 : 20;
  const reindexIncidents = quick ? 10_000 : 100_000;
  const threshold = 500;
  const redis = new Redis(env.REDIS_URL);
  const prefix = `bench-cx-${randomBytes(4).toString('hex')}`;
  const base = `${prefix}:{cx}:`;
  const index = new CorrelationIndex(redis, {
    mongoUri: env.MONGODB_URI,
    redisUrl: env.REDIS_URL,
    redisPrefix: prefix,
    storeTimeoutMs: 5000,
    correlationHotThreshold: threshold,
  });
  // Ranges are a tenth of each index: 100 k of the 1 M.
  const allCidrs = Array.from({ length: cidrCount }, (_, i) => randomCidr(i));
  const figures: ScaleFigures = {
    sizes,
    cidrs: cidrCount,
    perSize: [],
    costRatio: 0,
    freshCostRatio: 0,
    rawRatio: 0,
    containment: { ours: 0, naive: 0, ratio: 0 },
  };
  try {
    for (const size of sizes) {
      await deletePrefix(redis, prefix);
      const cidrs = allCidrs.slice(0, Math.min(cidrCount, size / 10));
      const perIncident = 5;
      const universe = size;
      // The CIDRs first (one incident each), then incidents of five Zipf-drawn values of mixed kinds.
      async function* source(): AsyncGenerator<IndexSource> {
        for (let i = 0; i < cidrs.length; i++)
          yield { id: `c${i}`, orgId: `o${i % 11}`, indicators: planIncident([cidrs[i]]) };
        for (let i = 0; i < (size - cidrs.length) / perIncident; i++) {
          if (i % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
          const values = Array.from({ length: perIncident }, (_, k) =>
            valueOf(KINDS[(i + k) % KINDS.length], zipf(universe)),
          );
          yield { id: `i${i}`, orgId: `o${i % 11}`, indicators: planIncident(values) };
        }
      }
      const [, loadMs] = await timed(() => index.rebuild(source));
      const bytes = await indexBytes(redis, prefix);

      const byKind: Record<string, number> = {};
      let total = 0;
      let totalMs = 0;
      let rawMs = 0;
      let freshMs = 0;
      for (const kind of KINDS) {
        const plans = Array.from({ length: lookupsPerKind }, () => planIncident([valueOf(kind, zipf(universe))]));
        const [, ms] = await timed(async () => {
          for (const plan of plans) await index.lookup(plan);
        });
        const [, raw] = await timed(async () => {
          for (const plan of plans) await rawLookup(redis, base, plan[0].plan.probes, threshold);
        });
        const fresh = Array.from({ length: lookupsPerKind }, (_, i) =>
          planIncident([valueOf(kind, universe * 4 + i * 7919)]),
        );
        const [, freshTime] = await timed(async () => {
          for (const plan of fresh) await index.lookup(plan);
        });
        freshMs += freshTime;
        byKind[kind] = (lookupsPerKind / ms) * 1000;
        total += lookupsPerKind;
        totalMs += ms;
        rawMs += raw;
      }
      figures.perSize.push({
        indicators: size,
        loadMs,
        byKind,
        meanMs: totalMs / total,
        freshMeanMs: freshMs / total,
        rawMeanMs: rawMs / total,
        bytesPerIndicator: bytes / size,
      });

      if (size === sizes[sizes.length - 1]) {
        // Containment of addresses in the 100 k ranges: one lookup per prefix length present, against
        // reading every stored range and testing each one.
        const addresses = Array.from({ length: lookupsPerKind }, (): IndexedIndicator => {
          const b = randomBytes(4);
          return { type: 'ipv4', value: `${b[0]}.${b[1]}.${b[2]}.${b[3]}` };
        });
        const [, ours] = await timed(async () => {
          for (const address of addresses) await index.lookup(planIncident([address]));
        });
        const [, naive] = await timed(async () => {
          for (const address of addresses.slice(0, naiveLookups)) {
            const members = await redis.zrange(`${base}z:n4`, 0, -1);
            const containing = members.filter(
              (m) =>
                relationBetween(address, { type: 'cidr', value: m.slice(m.lastIndexOf('cidr:') + 5) }) !== undefined,
            );
            if (containing.length < 0) throw new Error('unreachable');
          }
        });
        const oursRate = (addresses.length / ours) * 1000;
        const naiveRate = (naiveLookups / naive) * 1000;
        figures.containment = { ours: oursRate, naive: naiveRate, ratio: oursRate / naiveRate };
      }
    }
    const [small, large] = [figures.perSize[0], figures.perSize[figures.perSize.length - 1]];
    figures.costRatio = large.meanMs / small.meanMs;
    figures.freshCostRatio = large.freshMeanMs / small.freshMeanMs;
    figures.rawRatio = large.rawMeanMs / large.meanMs;
  } finally {
    await deletePrefix(redis, prefix);
    await redis.del(`${prefix}:cx:ready`, `${prefix}:cx:lock`);
  }

  // A full `reindex` by the CLI, of incidents stored in a database of their own.
  const dbUri = new URL(env.MONGODB_URI);
  dbUri.pathname = `/bench_reindex_${randomBytes(4).toString('hex')}`;
  const rxPrefix = `bench-rx-${randomBytes(4).toString('hex')}`;
  const connection = await mongoose.createConnection(dbUri.toString()).asPromise();
  try {
    const incidents = connection.collection<Record<string, unknown>>('incidents');
    for (let i = 0; i < reindexIncidents; i += 5000) {
      const batch = Array.from({ length: Math.min(5000, reindexIncidents - i) }, (_, k) => ({
        _id: `rx-${i + k}`,
        orgId: `o${(i + k) % 11}`,
        state: 'correlated',
        indicators: Array.from({ length: 5 }, (__, j) =>
          valueOf(KINDS[(i + k + j) % KINDS.length], zipf(reindexIncidents)),
        ),
      }));
      await incidents.insertMany(batch as never[], { ordered: false });
    }
    const result = await runCli({ ...env, MONGODB_URI: dbUri.toString(), REDIS_PREFIX: rxPrefix }, ['reindex']);
    if (result.code !== 0) throw new Error(`reindex failed: ${result.stderr}`);
    const ms = Number(result.json.ms);
    figures.reindex = {
      incidents: Number(result.json.reindexed),
      ms,
      perSecond: (Number(result.json.reindexed) / ms) * 1000,
    };
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await deletePrefix(redis, rxPrefix);
    redis.disconnect();
  }
  return figures;
}

export function printScale(
  figures: ScaleFigures,
  row: (name: string, value: string, raw?: string, ratio?: number) => void,
) {
  for (const size of figures.perSize) {
    const label = size.indicators >= 1_000_000 ? `${size.indicators / 1_000_000} M` : `${size.indicators / 1000} k`;
    for (const [kind, rate] of Object.entries(size.byKind))
      row(`lookup ${kind} @ ${label} (lookups/s)`, rate.toFixed(0));
    row(
      `lookup mean @ ${label}: ours vs raw pipeline (ms)`,
      size.meanMs.toFixed(3),
      size.rawMeanMs.toFixed(3),
      size.meanMs / size.rawMeanMs,
    );
    row(`index memory @ ${label} (bytes/indicator)`, size.bytesPerIndicator.toFixed(0));
    row(`index load @ ${label} (s)`, (size.loadMs / 1000).toFixed(1));
  }
  row('per-lookup cost, largest / smallest index (goal <= 1.5)', figures.costRatio.toFixed(2));
  row('the same for values not indexed yet (no matches)', figures.freshCostRatio.toFixed(2));
  row('lookups/s ours / raw pipelined ioredis (goal >= 0.8)', figures.rawRatio.toFixed(2));
  row(
    `CIDR containment in ${figures.cidrs} ranges (lookups/s, x100 goal)`,
    figures.containment.ours.toFixed(0),
    figures.containment.naive.toFixed(1),
    figures.containment.ratio,
  );
  if (figures.reindex)
    row(`cli reindex of ${figures.reindex.incidents} incidents (incidents/s)`, figures.reindex.perSecond.toFixed(0));
}
