import { DomainError } from '@corridor/domain';
import { decodeAlertCursor, encodeAlertCursor } from './list-alerts.service';

describe('alert cursors', () => {
  const id = `cor-${'0123456789abcdef'.repeat(3).slice(0, 40)}`;

  it('round-trips a position in either part of the list', () => {
    for (const acknowledged of [false, true]) {
      const position = { acknowledged, createdAt: new Date('2026-11-24T08:30:00.123Z'), id };
      expect(decodeAlertCursor(encodeAlertCursor(position))).toEqual(position);
    }
  });

  it('treats an absent cursor as the first page', () => {
    expect(decodeAlertCursor(undefined)).toBeUndefined();
    expect(decodeAlertCursor('')).toBeUndefined();
  });

  it('refuses a cursor it did not issue, naming the field', () => {
    for (const text of ['u.1.cor-xyz', `x.1.${id}`, `u.-1.${id}`, id, 'u.1']) {
      let error: unknown;
      try {
        decodeAlertCursor(Buffer.from(text).toString('base64url'));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).details?.fields).toEqual([
        { field: 'cursor', message: 'is not a cursor this api issued' },
      ]);
    }
  });
});
