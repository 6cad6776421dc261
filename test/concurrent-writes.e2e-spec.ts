import Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { v7 as uuidv7 } from 'uuid';
import type { Incident } from '@corridor/domain';
import { DocumentLocks, IncidentsRepository, connectMongo } from '@corridor/persistence';
import { suiteEnvironment } from '@corridor/testing';

/**
 * FerretDB applies an update by rewriting the whole document, without a lock. An analyst's TLP
 * change racing the worker's state changes must survive anyway: writers of one incident are
 * serialized. Runs on the real store and Redis.
 */
describe('concurrent writers of one incident', () => {
  const env = suiteEnvironment('writes');
  let connection: Connection;
  let redis: Redis;
  let incidents: IncidentsRepository;

  beforeAll(async () => {
    connection = await connectMongo(env.MONGODB_URI, 5000);
    redis = new Redis(env.REDIS_URL);
    const options = {
      mongoUri: env.MONGODB_URI,
      redisUrl: env.REDIS_URL,
      redisPrefix: env.REDIS_PREFIX,
      storeTimeoutMs: 5000,
      correlationHotThreshold: 1000,
    };
    incidents = new IncidentsRepository(connection, new DocumentLocks(redis, options));
  }, 180_000);

  afterAll(async () => {
    await connection?.close();
    redis?.disconnect();
  });

  const incident = (): Incident => {
    const now = new Date();
    return {
      id: uuidv7(),
      orgId: 'org-a',
      authorId: 'user-a',
      recipientOrgIds: [],
      recipientUserIds: [],
      status: 'new',
      title: 'race',
      description: '',
      occurredAt: now,
      classification: { class: 'test', type: 'test' },
      severity: 'low',
      tlp: 'GREEN',
      pap: 'GREEN',
      state: 'pending',
      submitted: [],
      indicators: [],
      rejectedIndicators: [],
      createdAt: now,
      updatedAt: now,
    };
  };

  it('keeps every change when the analyst and the worker write at the same moment', async () => {
    const rounds = 25;
    let intact = 0;
    for (let i = 0; i < rounds; i++) {
      const { incident: stored } = await incidents.insertOrGetExisting(incident());
      await Promise.all([
        incidents.update(stored.id, { tlp: 'RED', status: 'investigating' }),
        incidents.saveNormalized(
          stored.id,
          [
            {
              raw: '203.0.113.5',
              type: 'ipv4',
              value: '203.0.113.5',
              source: 'field',
              enrichment: {},
              warnings: [],
              pap: 'GREEN',
            },
          ],
          [],
        ),
        incidents.setState(stored.id, 'correlated'),
      ]);
      const final = await incidents.findById(stored.id);
      if (final?.tlp === 'RED' && final.status === 'investigating' && final.state === 'correlated') intact++;
    }
    expect(intact).toBe(rounds);
  });
});
