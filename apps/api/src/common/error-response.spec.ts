import { isStoreUnavailable } from './error-response';

describe('isStoreUnavailable', () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

  it.each([
    [Object.assign(new Error('server selection timed out'), { name: 'MongoServerSelectionError' })],
    [withCode('This socket has been ended by the other party', 'EPIPE')],
    [withCode('read ECONNRESET', 'ECONNRESET')],
    [new Error('connect ECONNREFUSED 127.0.0.1:6379')],
    [new Error('Connection is closed.')],
  ])('treats %s as a store outage', (error) => {
    expect(isStoreUnavailable(error)).toBe(true);
  });

  it.each([[new Error('boom')], [new TypeError('x is not a function')], ['a string'], [undefined]])(
    'does not treat %s as one',
    (error) => {
      expect(isStoreUnavailable(error)).toBe(false);
    },
  );
});
