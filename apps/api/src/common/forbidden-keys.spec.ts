import { findForbiddenKey } from './forbidden-keys';

describe('findForbiddenKey', () => {
  it.each([
    [{ title: 'x', nested: { $where: '1' } }, 'body.nested.$where'],
    [JSON.parse('{"a": {"__proto__": {"admin": true}}}'), 'body.a.__proto__'],
    [{ list: [{ ok: 1 }, { constructor: {} }] }, 'body.list.1.constructor'],
    [{ $gt: 1 }, 'body.$gt'],
    [[{ prototype: 1 }], 'body.0.prototype'],
  ])('finds the forbidden key in %j', (value, path) => {
    expect(findForbiddenKey(value)).toBe(path);
  });

  it.each([[{ title: 'a$b', tags: ['$not-a-key'] }], [null], ['text'], [[1, 2, { price: '$5' }]]])(
    'accepts %j',
    (value) => {
      expect(findForbiddenKey(value)).toBeUndefined();
    },
  );

  it('refuses absurd nesting', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { a: deep };
    expect(findForbiddenKey(deep)).toMatch(/^body(\.a)+$/);
  });
});
