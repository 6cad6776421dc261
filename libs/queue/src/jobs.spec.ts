import { JOBS } from './jobs';

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

  it('derives one retro-hunt job per watch entry and refuses a payload without a watchId', () => {
    expect(JOBS['watch-retro-hunt'].jobId({ watchId: 'wl-0a1b' })).toBe('retro-wl-0a1b');
    expect(JOBS['watch-retro-hunt'].parse({ watchId: 'wl-0a1b' })).toEqual({
      ok: true,
      payload: { watchId: 'wl-0a1b' },
    });
    const parsed = JOBS['watch-retro-hunt'].parse({ incidentId: 'x' });
    expect(parsed).toEqual({ ok: false, message: 'job payload has no valid watchId' });
  });
});
