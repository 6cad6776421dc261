import { JOBS, providerQueue, retroHuntJobs } from './jobs';

describe('job map', () => {
  it('derives one deterministic id per incident, without the characters BullMQ refuses', () => {
    const id = JOBS['process-incident'].jobId({ incidentId: '0190-abc' });
    expect(id).toBe('process-0190-abc');
    expect(id).not.toContain(':');
  });

  it('accepts a payload with an incident id and refuses anything else, naming the field', () => {
    expect(JOBS['process-incident'].parse({ incidentId: 'x1' })).toEqual({ ok: true, payload: { incidentId: 'x1' } });
    for (const bad of [null, {}, { incidentId: '' }, { incidentId: 7 }, { incidentId: 'x'.repeat(101) }]) {
      const parsed = JOBS['process-incident'].parse(bad);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain('incidentId');
    }
  });

  it('batches retro-hunts, puts smaller requests first and refuses a payload without valid watchIds', () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `wl-${i.toString(16).padStart(40, '0')}`);
    const jobs = retroHuntJobs(ids);
    expect(jobs.map((job) => job.payload.watchIds.length)).toEqual([500, 500, 1]);
    expect(jobs.map((job) => job.priority)).toEqual([3, 3, 3]);
    expect(jobs.flatMap((job) => job.payload.watchIds)).toEqual(ids);
    expect(retroHuntJobs(ids.slice(0, 1))).toEqual([{ payload: { watchIds: [ids[0]] }, priority: 1 }]);
    const id = JOBS['watch-retro-hunt'].jobId({ watchIds: ids.slice(0, 2) });
    expect(id).toMatch(/^retro-[0-9a-f]{32}$/);
    expect(JOBS['watch-retro-hunt'].jobId({ watchIds: ids.slice(0, 2) })).toBe(id);
    expect(JOBS['watch-retro-hunt'].jobId({ watchIds: ids.slice(1, 3) })).not.toBe(id);
    expect(JOBS['watch-retro-hunt'].parse({ watchIds: ['wl-0a1b'] })).toEqual({
      ok: true,
      payload: { watchIds: ['wl-0a1b'] },
    });
    for (const bad of [{ incidentId: 'x' }, { watchIds: [] }, { watchIds: ['x:y'] }, { watchIds: ids.slice(0, 501) }])
      expect(JOBS['watch-retro-hunt'].parse(bad)).toEqual({ ok: false, message: 'job payload has no valid watchIds' });
  });
});

describe('enrichment jobs', () => {
  it('derives one id per incident, and per provider, incident and value, short and without ":"', () => {
    expect(JOBS['enrich-incident'].jobId({ incidentId: 'i1' })).toBe('enrich-i1');
    const payload = { incidentId: 'i1', provider: 'http-json', key: `url:https://a.example/${'x'.repeat(2000)}` };
    const id = JOBS['enrich-indicator'].jobId(payload);
    expect(id).toMatch(/^enrich-http-json-i1-[0-9a-f]{32}$/);
    expect(JOBS['enrich-indicator'].jobId({ ...payload, key: 'ipv4:45.1.2.3' })).not.toBe(id);
    expect(JOBS['enrich-indicator'].jobId({ ...payload })).toBe(id);
  });

  it('sends each provider its own queue', () => {
    expect(JOBS['enrich-indicator'].queueOf?.({ incidentId: 'i', provider: 'reputation', key: 'ipv4:1.2.3.4' })).toBe(
      providerQueue('reputation'),
    );
    expect(providerQueue('reputation')).not.toBe(providerQueue('http-json'));
  });

  it('accepts ids and an indicator key only, naming the bad field', () => {
    const good = { incidentId: 'i1', provider: 'reputation', key: 'domain:a.example' };
    expect(JOBS['enrich-indicator'].parse(good)).toEqual({ ok: true, payload: good });
    const cases: Array<[unknown, string]> = [
      [{ ...good, incidentId: '' }, 'incidentId'],
      [{ ...good, provider: 'Bad Name' }, 'provider'],
      [{ ...good, key: 'no-type' }, 'key'],
      [{ ...good, key: `domain:${'a'.repeat(2100)}` }, 'key'],
      [{ ...good, key: 7 }, 'key'],
    ];
    for (const [bad, field] of cases) {
      const parsed = JOBS['enrich-indicator'].parse(bad);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain(field);
    }
  });
});

describe('webhook delivery jobs', () => {
  const deliveryId = `msg_${'a1'.repeat(16)}`;
  it('derives one id per delivery, round and attempt', () => {
    expect(JOBS['webhook-deliver'].jobId({ deliveryId, round: 0, attempt: 1 })).toBe(`webhook-${deliveryId}-0-1`);
    expect(JOBS['webhook-deliver'].jobId({ deliveryId, round: 2, attempt: 3 })).toBe(`webhook-${deliveryId}-2-3`);
  });

  it('accepts a delivery id and counters only, naming the bad field', () => {
    const good = { deliveryId, round: 0, attempt: 1 };
    expect(JOBS['webhook-deliver'].parse(good)).toEqual({ ok: true, payload: good });
    const cases: Array<[unknown, string]> = [
      [{ ...good, deliveryId: 'x:y' }, 'deliveryId'],
      [{ ...good, round: -1 }, 'round'],
      [{ ...good, round: '0' }, 'round'],
      [{ ...good, attempt: 0 }, 'attempt'],
      [{ ...good, attempt: 1.5 }, 'attempt'],
    ];
    for (const [bad, field] of cases) {
      const parsed = JOBS['webhook-deliver'].parse(bad);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain(field);
    }
  });
});

describe('mail jobs', () => {
  it('run one job per stored message, under the message id, and refuse any other payload', () => {
    const messageId = `mail-${'0a'.repeat(16)}`;
    expect(JOBS['send-mail'].jobId({ messageId })).toBe(messageId);
    expect(JOBS['send-mail'].parse({ messageId })).toEqual({ ok: true, payload: { messageId } });
    for (const bad of [null, {}, { messageId: 'mail-xyz' }, { messageId: `${messageId}:1` }, { incidentId: 'x' }])
      expect(JOBS['send-mail'].parse(bad)).toEqual({ ok: false, message: 'job payload has no valid messageId' });
  });
});
