import { DomainError } from '@corridor/domain';
import { decodeCursor, encodeCursor } from './list-incidents.service';

describe('list cursors', () => {
  it('round-trips an incident id', () => {
    const id = '019374a2-5c1e-7a00-8000-0123456789ab';
    expect(decodeCursor(encodeCursor(id))).toBe(id);
  });

  it('treats an absent cursor as the first page', () => {
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor('')).toBeUndefined();
  });

  it('refuses a cursor it did not issue, naming the field', () => {
    let error: unknown;
    try {
      decodeCursor(encodeCursor('not-an-id'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).details?.fields).toEqual([
      { field: 'cursor', message: 'is not a cursor this api issued' },
    ]);
  });
});
