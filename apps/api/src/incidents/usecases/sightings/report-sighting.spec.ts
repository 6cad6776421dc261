import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError, type IncidentIndicator } from '@corridor/domain';
import { ReportSightingDto } from '../../dto/sighting.dto';
import { sightedIndicatorOf } from './report-sighting.service';

const indicator = (type: IncidentIndicator['type'], value: string): IncidentIndicator =>
  ({ raw: value, type, value, source: 'field', enrichment: {}, pap: 'GREEN' }) as IncidentIndicator;
const incident = { indicators: [indicator('domain', 'evil-portal.corridor-test.net'), indicator('ipv4', '45.1.2.3')] };

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError)
      return (error.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field);
    throw error;
  }
  throw new Error('expected a DomainError');
}

const invalidFields = (body: Record<string, unknown>) => [
  ...new Set(
    validateSync(plainToInstance(ReportSightingDto, body), { whitelist: true, forbidNonWhitelisted: true }).map(
      (e) => e.property,
    ),
  ),
];

describe('report sighting: the indicator named', () => {
  it('finds the incident’s indicator written in any form', () => {
    expect(sightedIndicatorOf(incident, { value: 'EVIL-PORTAL[.]corridor-test[.]NET' })).toEqual({
      type: 'domain',
      value: 'evil-portal.corridor-test.net',
    });
    expect(sightedIndicatorOf(incident, { value: '45[.]1.2.3', type: 'ipv4' })).toEqual({
      type: 'ipv4',
      value: '45.1.2.3',
    });
  });

  it('refuses, naming `indicator`, a value that is not one of its indicators or not an indicator at all', () => {
    expect(fieldsOf(() => sightedIndicatorOf(incident, { value: 'other.corridor-test.net' }))).toEqual(['indicator']);
    expect(
      fieldsOf(() => sightedIndicatorOf(incident, { value: 'evil-portal.corridor-test.net', type: 'ipv4' })),
    ).toEqual(['indicator']);
    expect(fieldsOf(() => sightedIndicatorOf(incident, { value: 'no such thing' }))).toEqual(['indicator']);
  });
});

describe('report sighting: the body', () => {
  const base = { indicator: 'evil-portal.corridor-test.net', kind: 'seen' };

  it('accepts a string or {type, value}, and the optional fields within their bounds', () => {
    expect(invalidFields(base)).toEqual([]);
    expect(
      invalidFields({
        indicator: { type: 'domain', value: 'evil-portal.corridor-test.net' },
        kind: 'expired',
        count: 7,
        firstSeen: '2026-11-28T01:00:00Z',
        lastSeen: '2026-11-28T01:00:00Z',
        note: 'ok',
      }),
    ).toEqual([]);
  });

  it('names each field out of bounds', () => {
    expect(invalidFields({ ...base, count: 0 })).toEqual(['count']);
    expect(invalidFields({ ...base, kind: 'sighted' })).toEqual(['kind']);
    expect(invalidFields({ ...base, firstSeen: '2026-11-28T02:00:00Z', lastSeen: '2026-11-28T01:00:00Z' })).toEqual([
      'lastSeen',
    ]);
    expect(invalidFields({ ...base, note: 'x'.repeat(2001) })).toEqual(['note']);
    expect(invalidFields({ kind: 'seen', indicator: ['evil-portal.corridor-test.net'] })).toEqual(['indicator']);
  });
});
