import {
  nextHandover,
  onCallAt,
  scheduleUserIds,
  shiftAt,
  shiftStart,
  validateOverride,
  validateSchedule,
  type OnCallSchedule,
} from './schedule';

const at = (iso: string) => new Date(iso);

function schedule(partial: Partial<OnCallSchedule>): OnCallSchedule {
  return { id: 's1', orgId: 'o1', name: 'primary', timeZone: 'UTC', rotations: [], overrides: [], ...partial };
}

describe('onCallAt in Asia/Riyadh (UTC+3, no DST)', () => {
  // Daily handover at 09:00 Riyadh = 06:00 UTC, every day of the year.
  const riyadh = schedule({
    timeZone: 'Asia/Riyadh',
    rotations: [{ users: ['amal', 'badr', 'chadi'], handover: '09:00', lengthDays: 1, startDate: '2026-03-01' }],
  });

  it('has nobody before the first handover', () => {
    expect(onCallAt(riyadh, at('2026-03-01T05:59:59.999Z'))).toEqual([]);
    expect(onCallAt(riyadh, at('2026-02-10T12:00:00Z'))).toEqual([]);
  });

  it('hands over at 09:00 local (06:00 UTC), in turn order, wrapping round', () => {
    expect(onCallAt(riyadh, at('2026-03-01T06:00:00Z'))).toEqual(['amal']);
    expect(onCallAt(riyadh, at('2026-03-02T05:59:59Z'))).toEqual(['amal']);
    expect(onCallAt(riyadh, at('2026-03-02T06:00:00Z'))).toEqual(['badr']);
    expect(onCallAt(riyadh, at('2026-03-03T06:00:00Z'))).toEqual(['chadi']);
    expect(onCallAt(riyadh, at('2026-03-04T06:00:00Z'))).toEqual(['amal']);
  });

  it('keeps the handover at 06:00 UTC across the dates Europe changes its clocks', () => {
    // 29 March 2026 (Europe's spring change): day 28 since the start → 28 % 3 = 1.
    expect(onCallAt(riyadh, at('2026-03-29T05:59:00Z'))).toEqual(['amal']);
    expect(onCallAt(riyadh, at('2026-03-29T06:00:00Z'))).toEqual(['badr']);
    expect(shiftAt(riyadh.rotations[0], riyadh.timeZone, at('2026-03-29T12:00:00Z'))).toEqual({
      index: 28,
      userId: 'badr',
      start: at('2026-03-29T06:00:00Z'),
      end: at('2026-03-30T06:00:00Z'),
    });
  });

  it('reads a local time just after midnight as that local day (the previous UTC day)', () => {
    // 00:30 Riyadh on 5 March = 21:30 UTC on 4 March: still the shift that began 09:00 on 4 March.
    expect(onCallAt(riyadh, at('2026-03-04T21:30:00Z'))).toEqual(['amal']);
  });

  it('lets an override replace the rotation for exactly [from, to)', () => {
    const covered = {
      ...riyadh,
      overrides: [{ id: 'ov1', userId: 'dana', from: at('2026-03-02T10:00:00Z'), to: at('2026-03-02T18:00:00Z') }],
    };
    expect(onCallAt(covered, at('2026-03-02T09:59:59Z'))).toEqual(['badr']);
    expect(onCallAt(covered, at('2026-03-02T10:00:00Z'))).toEqual(['dana']);
    expect(onCallAt(covered, at('2026-03-02T17:59:59Z'))).toEqual(['dana']);
    expect(onCallAt(covered, at('2026-03-02T18:00:00Z'))).toEqual(['badr']);
  });
});

describe('onCallAt in Europe/Berlin (CET/CEST)', () => {
  // Weekly from Monday 23 March 2026, handover 08:00 local. Clocks go forward on Sunday 29 March
  // (02:00 CET → 03:00 CEST) and back on Sunday 25 October 2026.
  const berlin = schedule({
    timeZone: 'Europe/Berlin',
    rotations: [{ users: ['erik', 'frida'], handover: '08:00', lengthDays: 7, startDate: '2026-03-23' }],
  });

  it('hands over at 08:00 CET (07:00 UTC) before the change and 08:00 CEST (06:00 UTC) after', () => {
    expect(onCallAt(berlin, at('2026-03-23T06:59:59Z'))).toEqual([]);
    expect(onCallAt(berlin, at('2026-03-23T07:00:00Z'))).toEqual(['erik']);
    // The DST change day is inside erik's week.
    expect(onCallAt(berlin, at('2026-03-29T01:30:00Z'))).toEqual(['erik']);
    // Monday 30 March 08:00 CEST is 06:00 UTC, not 07:00.
    expect(onCallAt(berlin, at('2026-03-30T05:59:59Z'))).toEqual(['erik']);
    expect(onCallAt(berlin, at('2026-03-30T06:00:00Z'))).toEqual(['frida']);
    expect(shiftAt(berlin.rotations[0], berlin.timeZone, at('2026-03-25T12:00:00Z'))).toMatchObject({
      start: at('2026-03-23T07:00:00Z'),
      end: at('2026-03-30T06:00:00Z'),
    });
  });

  it('moves a daily handover on the DST change day itself, both ways', () => {
    const daily = schedule({
      timeZone: 'Europe/Berlin',
      rotations: [{ users: ['erik', 'frida'], handover: '09:00', lengthDays: 1, startDate: '2026-03-28' }],
    });
    // Saturday 28 March 09:00 CET = 08:00 UTC; Sunday 29 March 09:00 CEST = 07:00 UTC (a 23-hour shift).
    expect(shiftAt(daily.rotations[0], daily.timeZone, at('2026-03-28T12:00:00Z'))).toEqual({
      index: 0,
      userId: 'erik',
      start: at('2026-03-28T08:00:00Z'),
      end: at('2026-03-29T07:00:00Z'),
    });
    expect(onCallAt(daily, at('2026-03-29T06:59:59Z'))).toEqual(['erik']);
    expect(onCallAt(daily, at('2026-03-29T07:00:00Z'))).toEqual(['frida']);
    // Sunday 25 October: 09:00 CEST on Saturday = 07:00 UTC, 09:00 CET on Sunday = 08:00 UTC (25 hours).
    const shift = shiftAt(daily.rotations[0], daily.timeZone, at('2026-10-24T12:00:00Z'));
    expect(shift).toMatchObject({ start: at('2026-10-24T07:00:00Z'), end: at('2026-10-25T08:00:00Z') });
    expect(onCallAt(daily, at('2026-10-25T07:30:00Z'))).toEqual([shift!.userId]);
  });

  it('takes a handover in the skipped hour just after the gap, and one in the repeated hour at its second occurrence', () => {
    const rotation = { users: ['erik'], handover: '02:30', lengthDays: 1, startDate: '2026-03-28' };
    expect(shiftStart(rotation, 'Europe/Berlin', 1)).toEqual(at('2026-03-29T01:30:00Z')); // 03:30 CEST
    const autumn = { ...rotation, startDate: '2026-10-24' };
    expect(shiftStart(autumn, 'Europe/Berlin', 1)).toEqual(at('2026-10-25T01:30:00Z')); // 02:30 CET
  });

  it('applies an override spanning the DST change and then resumes the rota', () => {
    const covered = {
      ...berlin,
      overrides: [{ id: 'ov1', userId: 'gus', from: at('2026-03-28T22:00:00Z'), to: at('2026-03-30T06:30:00Z') }],
    };
    expect(onCallAt(covered, at('2026-03-28T21:59:59Z'))).toEqual(['erik']);
    expect(onCallAt(covered, at('2026-03-29T02:00:00Z'))).toEqual(['gus']);
    // The rota handed over to frida at 06:00 UTC, under the override; she is on call once it ends.
    expect(onCallAt(covered, at('2026-03-30T06:15:00Z'))).toEqual(['gus']);
    expect(onCallAt(covered, at('2026-03-30T06:30:00Z'))).toEqual(['frida']);
  });
});

describe('onCallAt with several rotations and overrides', () => {
  const twoLayers = schedule({
    timeZone: 'Asia/Riyadh',
    rotations: [
      { users: ['amal', 'badr'], handover: '09:00', lengthDays: 1, startDate: '2026-03-01' },
      { users: ['zaid', 'amal'], handover: '21:00', lengthDays: 7, startDate: '2026-03-01' },
    ],
  });

  it('lists each rotation’s user once, in rotation order', () => {
    // 12:00 Riyadh on 1 March: amal (daily); the weekly rotation starts at 21:00.
    expect(onCallAt(twoLayers, at('2026-03-01T09:00:00Z'))).toEqual(['amal']);
    // 22:00 Riyadh on 1 March: amal and zaid.
    expect(onCallAt(twoLayers, at('2026-03-01T19:00:00Z'))).toEqual(['amal', 'zaid']);
    // The same person in both rotations appears once (8 March 22:00: day 7 → badr; week 1 → amal).
    expect(onCallAt(twoLayers, at('2026-03-09T05:00:00Z'))).toEqual(['badr', 'amal']);
    expect(onCallAt(twoLayers, at('2026-03-10T05:00:00Z'))).toEqual(['amal']);
  });

  it('replaces every rotation by the overrides covering the instant, overlapping ones together', () => {
    const covered = {
      ...twoLayers,
      overrides: [
        { id: 'a', userId: 'dana', from: at('2026-03-01T18:00:00Z'), to: at('2026-03-01T22:00:00Z') },
        { id: 'b', userId: 'omar', from: at('2026-03-01T20:00:00Z'), to: at('2026-03-02T00:00:00Z') },
      ],
    };
    expect(onCallAt(covered, at('2026-03-01T19:00:00Z'))).toEqual(['dana']);
    expect(onCallAt(covered, at('2026-03-01T21:00:00Z'))).toEqual(['dana', 'omar']);
    expect(onCallAt(covered, at('2026-03-01T23:00:00Z'))).toEqual(['omar']);
    expect(onCallAt(covered, at('2026-03-02T00:00:00Z'))).toEqual(['amal', 'zaid']);
  });

  it('has only the override’s user before any rotation starts', () => {
    const early = schedule({
      ...twoLayers,
      overrides: [{ id: 'a', userId: 'dana', from: at('2026-02-01T00:00:00Z'), to: at('2026-02-02T00:00:00Z') }],
    });
    expect(onCallAt(early, at('2026-02-01T12:00:00Z'))).toEqual(['dana']);
    expect(scheduleUserIds(early)).toEqual(['amal', 'badr', 'zaid', 'dana']);
  });
});

describe('nextHandover', () => {
  const riyadh = schedule({
    timeZone: 'Asia/Riyadh',
    rotations: [{ users: ['amal', 'badr'], handover: '09:00', lengthDays: 1, startDate: '2026-03-01' }],
  });

  it('is the next shift start, or the first handover before the rota starts', () => {
    expect(nextHandover(riyadh, at('2026-03-01T06:00:00Z'))).toEqual(at('2026-03-02T06:00:00Z'));
    expect(nextHandover(riyadh, at('2026-02-01T00:00:00Z'))).toEqual(at('2026-03-01T06:00:00Z'));
  });

  it('counts an override’s start and end as changes', () => {
    const covered = {
      ...riyadh,
      overrides: [{ id: 'a', userId: 'dana', from: at('2026-03-01T10:00:00Z'), to: at('2026-03-01T12:00:00Z') }],
    };
    expect(nextHandover(covered, at('2026-03-01T07:00:00Z'))).toEqual(at('2026-03-01T10:00:00Z'));
    expect(nextHandover(covered, at('2026-03-01T10:00:00Z'))).toEqual(at('2026-03-01T12:00:00Z'));
    expect(nextHandover(schedule({}), at('2026-03-01T10:00:00Z'))).toBeNull();
  });
});

describe('validateSchedule', () => {
  const good = {
    name: 'primary',
    timeZone: 'Europe/Berlin',
    rotations: [{ users: ['u1'], handover: '08:00', lengthDays: 7, startDate: '2026-03-23' }],
  };

  it('accepts a valid schedule', () => {
    expect(validateSchedule(good)).toEqual([]);
  });

  it('names each bad field', () => {
    const errors = validateSchedule({
      name: '  ',
      timeZone: 'Mars/Olympus_Mons',
      rotations: [
        { users: [], handover: '24:00', lengthDays: 0, startDate: '2026-02-30' },
        { users: ['u1'], handover: '8:00', lengthDays: 1.5, startDate: '23/03/2026' },
      ],
    });
    expect(errors.map((e) => e.field)).toEqual([
      'name',
      'timeZone',
      'rotations.0.users',
      'rotations.0.handover',
      'rotations.0.lengthDays',
      'rotations.0.startDate',
      'rotations.1.handover',
      'rotations.1.lengthDays',
      'rotations.1.startDate',
    ]);
  });

  it('refuses a fixed offset instead of a zone, and a schedule without rotations', () => {
    expect(validateSchedule({ ...good, timeZone: '+03:00' }).map((e) => e.field)).toEqual(['timeZone']);
    expect(validateSchedule({ ...good, rotations: [] }).map((e) => e.field)).toEqual(['rotations']);
  });
});

describe('validateOverride', () => {
  it('needs a user and from strictly before to', () => {
    const from = at('2026-03-01T10:00:00Z');
    expect(validateOverride({ userId: 'u1', from, to: at('2026-03-01T11:00:00Z') })).toEqual([]);
    expect(validateOverride({ userId: 'u1', from, to: from })).toEqual([
      { field: 'to', message: 'must be after from' },
    ]);
    expect(
      validateOverride({ userId: '', from: new Date('nope'), to: from }, 'overrides.3').map((e) => e.field),
    ).toEqual(['overrides.3.userId', 'overrides.3.from']);
  });
});
