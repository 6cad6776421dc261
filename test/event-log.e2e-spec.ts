import Redis from 'ioredis';
import { EventLog, LOG_START, type DeliveryPlan } from '@corridor/realtime';
import { uniqueName } from '@corridor/testing';

/**
 * The live event log on the real Redis: where a socket that connected to an empty log (a new Redis,
 * or one restarted empty) resumes from, so that nothing appended while its api was not subscribed is
 * skipped.
 */
describe('live event log (Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const windowMs = 60_000;
  const logOf = () => new EventLog(redis, { redisPrefix: uniqueName('evlog-'), windowMs, maxEvents: 3 });
  const plan = (orgId: string, n: number): DeliveryPlan<'incident.updated'> => ({
    event: 'incident.updated',
    incidentId: `i-${n}`,
    scope: 'feed',
    deliveries: [
      {
        reader: { kind: 'organization', orgId },
        payload: { incidentId: `i-${n}`, status: 'new', tlp: 'GREEN', updatedAt: new Date(0).toISOString() },
      },
    ],
  });

  afterAll(() => redis.quit());

  it('from the start of an empty log: nothing, and no gap', async () => {
    const log = logOf();
    expect(await log.lastId()).toBeNull();
    expect(await log.readAfter(['o:a'], LOG_START)).toEqual({ ok: true, events: [] });
  });

  it('from the start: every event appended since, in order, only the reader’s own', async () => {
    const log = logOf();
    const first = await log.append(plan('a', 1));
    await log.append(plan('b', 2));
    const third = await log.append(plan('a', 3));
    const result = await log.readAfter(['o:a'], LOG_START);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.events.map((e) => [e.id, e.incidentId])).toEqual([
      [first, 'i-1'],
      [third, 'i-3'],
    ]);
  });

  it('from the start of a stream trimmed by length: a gap, not a silent loss', async () => {
    const log = logOf();
    for (let n = 0; n < 5; n++) await log.append(plan('a', n));
    const result = await log.readAfter(['o:a'], LOG_START);
    expect(result).toEqual({ ok: false, reason: 'beyond_window', oldestEventId: expect.any(String) });
  });

  it('with a once-key, appends and publishes once: a repeat answers the first id', async () => {
    const log = logOf();
    const first = await log.append(plan('a', 1), { onceKey: 'page:al-1:0' });
    const again = await log.append(plan('a', 1), { onceKey: 'page:al-1:0' });
    const other = await log.append(plan('a', 2), { onceKey: 'page:al-1:1' });
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    const result = await log.readAfter(['o:a'], LOG_START);
    expect(result.ok && result.events.map((e) => e.id)).toEqual([first, other]);
  });

  it('an id older than the window is a gap; an id never issued is unknown', async () => {
    const log = logOf();
    const id = (await log.append(plan('a', 1)))!;
    const ms = Number(id.split('-')[0]);
    expect(await log.readAfter(['o:a'], `${ms - windowMs - 1}-0`)).toMatchObject({
      ok: false,
      reason: 'beyond_window',
    });
    expect(await log.readAfter(['o:a'], `${ms + 60_000}-0`)).toMatchObject({ ok: false, reason: 'unknown_event' });
    expect(await log.readAfter(['o:a'], id)).toEqual({ ok: true, events: [] });
  });
});
