import { markOf, withFalsePositive } from './false-positives';

const mark = (correlationId: string, by = 'user-1') => ({ correlationId, by, at: '2026-11-30T01:00:00.000Z' });

describe('false-positive marks on the incident page', () => {
  const incident = { id: 'inc-1', falsePositives: [mark('cor-a')] };

  it('finds the mark of a correlation, or null', () => {
    expect(markOf(incident, 'cor-a')).toEqual(mark('cor-a'));
    expect(markOf(incident, 'cor-b')).toBeNull();
  });

  it('adds the mark the api answered, keeping the others and the rest of the incident', () => {
    const next = withFalsePositive(incident, {
      id: 'cor-b',
      yourIncidentId: 'inc-1',
      falsePositive: { by: 'user-2', at: '2026-11-30T02:00:00.000Z' },
    });
    expect(next).toEqual({
      id: 'inc-1',
      falsePositives: [mark('cor-a'), { correlationId: 'cor-b', by: 'user-2', at: '2026-11-30T02:00:00.000Z' }],
    });
    expect(incident.falsePositives).toHaveLength(1);
  });

  it('replaces a mark made again, and takes it away on an undo', () => {
    const again = withFalsePositive(incident, {
      id: 'cor-a',
      yourIncidentId: 'inc-1',
      falsePositive: { by: 'user-3', at: '2026-11-30T03:00:00.000Z' },
    });
    expect(again.falsePositives).toEqual([{ correlationId: 'cor-a', by: 'user-3', at: '2026-11-30T03:00:00.000Z' }]);
    expect(withFalsePositive(incident, { id: 'cor-a', yourIncidentId: 'inc-1', falsePositive: null })).toEqual({
      id: 'inc-1',
      falsePositives: [],
    });
  });
});
