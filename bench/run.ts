/* Benchmarks: each figure is printed next to the raw primitive it is built on, measured in the same run
   against the same stores. Run with `npm run bench` (starts the stores and builds first). */
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import mongoose from 'mongoose';
import { v7 as uuidv7 } from 'uuid';
import { Emitter } from '@socket.io/redis-emitter';
import { planIncident } from '@corridor/domain';
import { CorrelationIndex } from '@corridor/persistence';
import { dashboardBurst } from './dashboard-burst';
import { correlationScale, printScale, quickMode } from './correlation-scale';
import { extractionFigures } from './extraction';
import { RealtimePublisher, type DeliveryPlan } from '@corridor/realtime';
import {
  RecordingClient,
  call,
  incidentBody,
  uniqueName,
  waitFor,
  createOrganization,
  startDeployment,
} from '@corridor/testing';

// `--quick` (or BENCH_QUICK=1): small sizes everywhere, for a check rather than a measurement.
const QUICK = quickMode();
const INGEST_REQUESTS = Number(process.env.BENCH_INGEST ?? (QUICK ? 100 : 1000));
const CONCURRENCY = 20;
const INDEX_CALLS = Number(process.env.BENCH_INDEX ?? (QUICK ? 500 : 5000));
const ALERT_SAMPLES = Number(process.env.BENCH_ALERTS ?? (QUICK ? 10 : 100));
const BURST = Number(process.env.BENCH_BURST ?? (QUICK ? 50 : 500));

async function pool(total: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
  return performance.now() - started;
}

const perSecond = (count: number, ms: number) => (count / ms) * 1000;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const NAME_WIDTH = 60;
/** One table row; figures without a raw counterpart print `-` for the raw value and the ratio. */
const row = (name: string, value: string, raw = '-', ratio?: number) =>
  process.stdout.write(
    `${name.padEnd(NAME_WIDTH)} ${value.padStart(16)} ${raw.padStart(16)} ${(ratio === undefined ? '-' : ratio.toFixed(2)).padStart(8)}\n`,
  );

async function main(): Promise<void> {
  const deployment = await startDeployment('bench', {
    // One key sends the whole load; the per-key limit is not what is measured here.
    KEY_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const { env, baseUrl, api, worker } = deployment;
  const redis = new Redis(env.REDIS_URL);
  const connection = await mongoose.createConnection(env.MONGODB_URI).asPromise();
  try {
    const a = await createOrganization(env, { name: uniqueName('Bench A ') });
    const b = await createOrganization(env, { name: uniqueName('Bench B '), country: 'SA' });
    const keyA = a.key;
    const keyB = b.key;
    process.stdout.write(
      `\n${'benchmark'.padEnd(NAME_WIDTH)} ${'corridor'.padStart(16)} ${'raw primitive'.padStart(16)} ${'ratio'.padStart(8)}\n`,
    );

    // 1. Ingestion: POST /api/v1/incidents (auth, validation, unique-index insert, enqueue, announce)
    //    against the driver's insertOne of the same document into the same store.
    const body = incidentBody({ tlp: 'AMBER', description: 'Seen 198.51.100[.]77 and hxxp://bench-example[.]com/x' });
    const apiMs = await pool(INGEST_REQUESTS, CONCURRENCY, async () => {
      const reply = await call(baseUrl, 'POST', '/api/v1/incidents', { token: keyA, body });
      if (reply.status !== 201) throw new Error(`ingest answered ${reply.status}`);
    });
    const raw = connection.collection<{ _id: string; createdAt: Date }>('bench_raw_inserts');
    const rawMs = await pool(INGEST_REQUESTS, CONCURRENCY, () =>
      raw.insertOne({ _id: uuidv7(), ...body, createdAt: new Date() }),
    );
    const apiRate = perSecond(INGEST_REQUESTS, apiMs);
    const rawRate = perSecond(INGEST_REQUESTS, rawMs);
    row(
      `ingest ${INGEST_REQUESTS} incidents, ${CONCURRENCY} concurrent (req/s)`,
      apiRate.toFixed(0),
      rawRate.toFixed(0),
      apiRate / rawRate,
    );
    await waitFor(
      async () => (await connection.collection('incidents').countDocuments({ state: 'pending' })) === 0,
      300_000,
      'backlog drained',
    );

    // 2. Correlation index: atomic add-and-lookup of 5 keys (Lua) against a plain pipeline of the same
    //    SMEMBERS + SADD commands (not atomic) on the same Redis.
    const index = new CorrelationIndex(redis, {
      mongoUri: env.MONGODB_URI,
      redisUrl: env.REDIS_URL,
      redisPrefix: `${env.REDIS_PREFIX}-ix`,
      storeTimeoutMs: 5000,
      correlationHotThreshold: 1000,
    });
    const keys = (i: number) => Array.from({ length: 5 }, (_, k) => `ipv4:10.${k}.${(i >> 8) & 255}.${i & 255}`);
    const indexMs = await pool(INDEX_CALLS, CONCURRENCY, (i) =>
      index.indexAndLookup(
        { incidentId: `inc-${i}`, orgId: `org-${i % 7}` },
        planIncident(keys(i % 500).map((key) => ({ type: 'ipv4' as const, value: key.slice(5) }))),
      ),
    );
    const pipeMs = await pool(INDEX_CALLS, CONCURRENCY, (i) => {
      const pipeline = redis.pipeline();
      for (const key of keys(i % 500)) {
        pipeline.smembers(`${env.REDIS_PREFIX}-raw:${key}`);
        pipeline.sadd(`${env.REDIS_PREFIX}-raw:${key}`, `inc-${i}|org-${i % 7}`);
      }
      return pipeline.exec();
    });
    const indexRate = perSecond(INDEX_CALLS, indexMs);
    const pipeRate = perSecond(INDEX_CALLS, pipeMs);
    row(
      `index+lookup ${INDEX_CALLS} incidents x 5 keys (ops/s)`,
      indexRate.toFixed(0),
      pipeRate.toFixed(0),
      indexRate / pipeRate,
    );

    // 3. Alert latency: B submits an incident sharing an indicator with one of A's; time until A's socket
    //    gets correlation.alert, against a raw emitter publish reaching the same socket through the api.
    const client = new RecordingClient(baseUrl, keyA);
    await client.connected();
    const latencies: number[] = [];
    for (let i = 0; i < ALERT_SAMPLES; i++) {
      const domain = `${uniqueName('lat-')}.com`;
      const first = await call(baseUrl, 'POST', '/api/v1/incidents', {
        token: keyA,
        body: incidentBody({ indicators: [domain] }),
      });
      await waitFor(
        async () =>
          (await call(baseUrl, 'GET', `/api/v1/incidents/${first.body.id}`, { token: keyA })).body.state ===
          'correlated',
        10_000,
      );
      const started = performance.now();
      const alert = client.next('correlation.alert', (x) => x.value === domain);
      await call(baseUrl, 'POST', '/api/v1/incidents', {
        token: keyB,
        body: incidentBody({ description: `c2 at ${domain}` }),
      });
      await alert;
      latencies.push(performance.now() - started);
    }
    // Raw primitive: a bare socket.io server with the Redis adapter, a socket in a room, and a Redis
    // emitter publishing to that room. Ours: a delivery plan through the event log to A's socket.
    const rawKey = `${env.REDIS_PREFIX}-raw-sio`;
    const sub = redis.duplicate();
    const httpServer = createServer();
    const bare = new Server(httpServer, { adapter: createAdapter(redis, sub, { key: rawKey }) });
    bare.on('connection', (socket) => void socket.join('room'));
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const address = httpServer.address();
    const rawClient = connect(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, {
      transports: ['websocket'],
    });
    await new Promise<void>((resolve) => rawClient.once('connect', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const emitter = new Emitter(redis, { key: rawKey });
    const rawLatencies: number[] = [];
    for (let i = 0; i < ALERT_SAMPLES; i++) {
      const marker = uniqueName('raw-');
      const started = performance.now();
      const received = new Promise<void>((resolve) => {
        const listener = (event: { incidentId: string }) => {
          if (event.incidentId !== marker) return;
          rawClient.off('incident.failed', listener);
          resolve();
        };
        rawClient.on('incident.failed', listener);
      });
      emitter.to('room').emit('incident.failed', { incidentId: marker, state: 'failed', reason: 'bench' });
      await received;
      rawLatencies.push(performance.now() - started);
    }
    const publisher = new RealtimePublisher(redis, {
      redisPrefix: env.REDIS_PREFIX,
      windowMs: 86_400_000,
      maxEvents: 10_000,
    });
    const publishLatencies: number[] = [];
    for (let i = 0; i < ALERT_SAMPLES; i++) {
      const marker = uniqueName('ours-');
      const started = performance.now();
      const received = client.next('incident.failed', (x) => x.incidentId === marker);
      const plan: DeliveryPlan<'incident.failed'> = {
        event: 'incident.failed',
        scope: 'feed',
        deliveries: [
          {
            reader: { kind: 'organization', orgId: a.id },
            payload: { incidentId: marker, state: 'failed', reason: 'bench' },
          },
        ],
      };
      await publisher.publish(plan);
      await received;
      publishLatencies.push(performance.now() - started);
    }
    rawClient.close();
    await bare.close();
    sub.disconnect();
    client.close();
    for (const p of [50, 95]) {
      const ours = percentile(latencies, p);
      const base = percentile(rawLatencies, p);
      row(`submit -> correlation.alert p${p} (ms)`, ours.toFixed(1), base.toFixed(1), ours / base);
    }
    for (const p of [50, 95]) {
      const ours = percentile(publishLatencies, p);
      const base = percentile(rawLatencies, p);
      row(`live event publish -> socket p${p} (ms)`, ours.toFixed(1), base.toFixed(1), ours / base);
    }

    // 4. Extraction on adversarial text (pure CPU): the slowest hostile shape per KB against splitting
    //    the same text at whitespace.
    const extraction = extractionFigures();
    row(
      `extraction, worst adversarial shape (ms/KB)`,
      extraction.worstMsPerKb.toFixed(3),
      extraction.splitMsPerKb.toFixed(4),
      extraction.worstMsPerKb / extraction.splitMsPerKb,
    );

    // 5. The dashboard under a burst: incidents posted while the feed is open in Chromium; the last
    //    one on screen against the last one on a bare socket.io client of the same organization.
    const c = await createOrganization(env, { name: uniqueName('Bench C ') });
    const burst = await dashboardBurst(deployment, c, BURST);
    row(
      `burst of ${burst.incidents}: last on screen (ms)`,
      burst.lastOnScreenMs.toFixed(0),
      burst.lastOnSocketMs.toFixed(0),
      burst.lastOnScreenMs / burst.lastOnSocketMs,
    );
    row('burst: longest main-thread task (ms)', burst.longestTaskMs.toFixed(1));
    row('burst: main-thread tasks of 50 ms or more', String(burst.longTasks));
    // 6. Correlation at scale: every kind against 10 k and 1 M indexed indicators (see correlation-scale.ts).
    printScale(await correlationScale(env), row);

    process.stdout.write(
      '\nratios: corridor / raw. Ingest and index are throughputs (higher is better); latencies are times (lower is better).\n' +
        'The raw latency is one Redis emitter publish through the socket.io Redis adapter of a bare server to its socket;\n' +
        'the alert path adds the HTTP request, the store insert, the queue hop, normalization, the index lookup, the\n' +
        'correlation insert and the live event; the live event alone is the reader streams append (resume) and dispatch.\n' +
        'The burst compares the row of the last incident appearing in the page with its event reaching a bare socket.io client.\n',
    );
  } finally {
    await connection.close();
    redis.disconnect();
    await Promise.all([api.stop(), worker.stop()]);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
