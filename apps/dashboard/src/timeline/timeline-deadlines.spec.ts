import type { TimelineEntry } from '../api/types';
import { translate } from '../ui/message';
import { describeEntry, type Readers } from './timeline-wording';

const readers: Readers = { me: 'user-me', nameOf: () => undefined };
const base = { id: 'e1', incidentId: 'i1', at: '2026-11-29T10:00:00.000Z' };
const byMe = { organization: { id: 'org-a', name: 'CERT-A' }, principalId: 'user-me' };
const show = (key: string, values?: Record<string, unknown>) =>
  values
    ? `${key}(${Object.entries(values)
        .map(([n, v]) => `${n}=${String(v)}`)
        .join(',')})`
    : key;
const words = (entry: TimelineEntry) => translate(show, describeEntry(entry, readers)).replace(/[\u2068\u2069]/g, '');

describe('timeline wording of deadlines', () => {
  it('names the profile when the deadlines are set, the milestone when one is completed', () => {
    const change = { kind: 'deadline_changed' as const, profileName: 'NIS2', awareAt: base.at };
    expect(words({ ...base, by: byMe, ...change, change: 'set', milestone: null })).toBe(
      'timeline.deadlinesSet(who=timeline.byYou,profile=NIS2)',
    );
    expect(words({ ...base, by: byMe, ...change, change: 'completed', milestone: 'Early warning' })).toBe(
      'timeline.deadlineCompleted(who=timeline.byYou,milestone=Early warning)',
    );
  });
});
