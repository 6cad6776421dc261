import type { IncidentIndicator } from '../incidents/incident';
import {
  CLOSED_BREAKER,
  afterFailure,
  afterSuccess,
  applyJsonMapping,
  breakerPhase,
  breakerWaitMs,
  indicatorHistory,
  indicatorsFor,
  parseJsonMapping,
  retryAfterMs,
  withheldReason,
} from './index';

const indicator = (
  value: string,
  pap: IncidentIndicator['pap'],
  extra: Partial<IncidentIndicator> = {},
): IncidentIndicator => ({
  raw: value,
  type: 'ipv4',
  value,
  source: 'field',
  enrichment: {},
  warnings: [],
  pap,
  ...extra,
});

describe('which indicators may go to a provider', () => {
  const green = { types: ['ipv4', 'domain'] as const, maxPap: 'GREEN' as const };
  const amber = { types: ['ipv4'] as const, maxPap: 'AMBER' as const };

  it('sends CLEAR and GREEN to a GREEN provider, never AMBER or RED', () => {
    expect(withheldReason(indicator('a', 'CLEAR'), green)).toBeUndefined();
    expect(withheldReason(indicator('a', 'GREEN'), green)).toBeUndefined();
    expect(withheldReason(indicator('a', 'AMBER'), green)).toBe('pap');
    expect(withheldReason(indicator('a', 'RED'), green)).toBe('pap');
  });

  it('never sends PAP:RED, even to a provider that would accept it', () => {
    expect(withheldReason(indicator('a', 'AMBER'), amber)).toBeUndefined();
    expect(withheldReason(indicator('a', 'RED'), { types: ['ipv4'], maxPap: 'RED' })).toBe('pap');
  });

  it('withholds types the provider does not take and warned indicators', () => {
    expect(withheldReason(indicator('a', 'CLEAR', { type: 'md5' }), green)).toBe('type');
    const warned = indicator('10.0.0.1', 'CLEAR', { warnings: [{ list: 'private', name: 'Private' }] });
    expect(withheldReason(warned, green)).toBe('warned');
  });

  it('lists each eligible value once, in order', () => {
    const list = [indicator('1', 'GREEN'), indicator('2', 'RED'), indicator('1', 'CLEAR'), indicator('3', 'CLEAR')];
    expect(indicatorsFor(list, green).map((i) => i.value)).toEqual(['1', '3']);
  });
});

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  const now = new Date('2026-11-30T10:00:00.000Z');

  it('reads delta-seconds', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date, the obsolete forms too, and clamps a past one to 0', () => {
    expect(retryAfterMs('Mon, 30 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Monday, 30-Nov-26 10:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('Mon Nov 30 10:00:30 2026', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 29 Nov 2026 10:00:00 GMT', now)).toBe(0);
  });

  it('refuses anything else', () => {
    for (const bad of [undefined, null, '', '-5', '1.5', 'soon', '2026-11-30', 'Mon, 99 Foo 2026 xx GMT'])
      expect(retryAfterMs(bad, now)).toBeUndefined();
  });
});

describe('HTTP JSON response mapping', () => {
  it('compiles a mapping and reads scalars along dotted paths, arrays by index', () => {
    const parsed = parseJsonMapping({ score: 'data.attributes.score', country: 'results.0.cc', seen: 'flags.seen' });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const json = { data: { attributes: { score: 87 } }, results: [{ cc: 'PK' }], flags: { seen: true } };
    expect(applyJsonMapping(json, parsed.mapping)).toEqual({ score: 87, country: 'PK', seen: true });
  });

  it('maps absent values, objects and arrays to null', () => {
    const parsed = parseJsonMapping({ a: 'x.y', b: 'obj', c: 'list', d: 'proto.__proto__' });
    if (!parsed.ok) throw new Error(parsed.message);
    expect(applyJsonMapping({ obj: { k: 1 }, list: [1], proto: {} }, parsed.mapping)).toEqual({
      a: null,
      b: null,
      c: null,
      d: null,
    });
    expect(applyJsonMapping('not json object', parsed.mapping).a).toBeNull();
  });

  it('refuses a bad mapping, saying what is wrong', () => {
    const cases: Array<[unknown, string]> = [
      [[], 'JSON object'],
      [{}, '1 to 20'],
      [{ '9x': 'a' }, "'9x'"],
      [{ a: 7 }, "path of 'a'"],
      [{ a: 'x..y' }, "path of 'a'"],
      [{ a: 'x y' }, "path of 'a'"],
    ];
    for (const [raw, message] of cases) {
      const parsed = parseJsonMapping(raw);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain(message);
    }
  });
});

describe('circuit breaker', () => {
  const settings = { failureThreshold: 3, coolDownMs: 10_000 };

  it('opens after N consecutive failures, waits the cool-down, then lets a probe through', () => {
    let state = CLOSED_BREAKER;
    state = afterFailure(state, settings, 1000);
    state = afterFailure(state, settings, 2000);
    expect(breakerPhase(state, settings, 2000)).toBe('closed');
    state = afterFailure(state, settings, 3000);
    expect(breakerPhase(state, settings, 3000)).toBe('open');
    expect(breakerWaitMs(state, settings, 4000)).toBe(9000);
    expect(breakerPhase(state, settings, 13_000)).toBe('half-open');
    expect(breakerWaitMs(state, settings, 13_000)).toBe(0);
  });

  it('re-opens on a failed probe and closes on a successful one', () => {
    const open = { failures: 3, openedAt: 0 };
    const reopened = afterFailure(open, settings, 20_000);
    expect(reopened).toEqual({ failures: 4, openedAt: 20_000 });
    expect(breakerPhase(reopened, settings, 25_000)).toBe('open');
    expect(afterSuccess()).toEqual({ failures: 0, openedAt: null });
  });

  it('forgets failures after a success', () => {
    const state = afterFailure(afterFailure(afterSuccess(), settings, 1), settings, 2);
    expect(breakerPhase(afterFailure(afterSuccess(), settings, 3), settings, 3)).toBe('closed');
    expect(state.failures).toBe(2);
  });
});

describe('indicator history', () => {
  const at = (iso: string) => new Date(iso);
  const incidents = [
    { id: 'i1', orgId: 'a', occurredAt: at('2026-11-10T00:00:00Z') },
    { id: 'i2', orgId: 'b', occurredAt: at('2026-11-20T00:00:00Z') },
    { id: 'i3', orgId: 'a', occurredAt: at('2026-11-15T00:00:00Z') },
  ];
  const sighting = (
    incidentId: string,
    orgId: string,
    kind: 'seen' | 'expired',
    first: string | null,
    last: string | null,
  ) => ({
    incidentId,
    orgId,
    kind,
    count: 2,
    firstSeen: first ? at(first) : null,
    lastSeen: last ? at(last) : null,
    createdAt: at('2026-11-25T00:00:00Z'),
  });

  it('counts incidents and organizations and spans incidents and sightings', () => {
    const history = indicatorHistory(incidents, [
      sighting('i1', 'c', 'seen', '2026-11-01T00:00:00Z', '2026-11-28T00:00:00Z'),
      sighting('i2', 'd', 'expired', '2026-10-01T00:00:00Z', '2026-12-01T00:00:00Z'),
    ]);
    expect(history).toEqual({
      firstSeen: at('2026-11-01T00:00:00Z'),
      lastSeen: at('2026-11-28T00:00:00Z'),
      incidents: 3,
      organizations: 4,
      sightings: 2,
    });
  });

  it('ignores sightings of incidents the reader does not see, and reads an untimed sighting at its creation', () => {
    const history = indicatorHistory(incidents.slice(0, 1), [
      sighting('i2', 'x', 'seen', '2020-01-01T00:00:00Z', '2030-01-01T00:00:00Z'),
      sighting('i1', 'a', 'seen', null, null),
    ]);
    expect(history).toEqual({
      firstSeen: at('2026-11-10T00:00:00Z'),
      lastSeen: at('2026-11-25T00:00:00Z'),
      incidents: 1,
      organizations: 1,
      sightings: 2,
    });
  });

  it('is empty without incidents', () => {
    expect(indicatorHistory([], [])).toEqual({
      firstSeen: null,
      lastSeen: null,
      incidents: 0,
      organizations: 0,
      sightings: 0,
    });
  });
});
