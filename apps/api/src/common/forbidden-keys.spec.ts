import { findRefused, findRefusedInTarget } from './forbidden-keys';

describe('findRefused (request bodies)', () => {
  it.each([
    [{ title: 'x', nested: { $where: '1' } }, 'body.nested.$where'],
    [JSON.parse('{"a": {"__proto__": {"admin": true}}}'), 'body.a.__proto__'],
    [{ list: [{ ok: 1 }, { constructor: {} }] }, 'body.list.1.constructor'],
    [{ $gt: 1 }, 'body.$gt'],
    [[{ prototype: 1 }], 'body.0.prototype'],
  ])('finds the forbidden key in %j', (value, path) => {
    expect(findRefused(value)).toEqual({ path, message: expect.stringContaining('refused') });
  });

  it.each([
    [{ description: 'a\u0000b' }, 'body.description', 'NUL'],
    [{ indicators: ['ok', 'evil\u0000.com'] }, 'body.indicators.1', 'NUL'],
    [JSON.parse('{"title": "\\ud800 alone"}'), 'body.title', 'surrogate'],
    [JSON.parse('{"email": "a\\udfff@b.example.com"}'), 'body.email', 'surrogate'],
    [JSON.parse('{"k\\u0000ey": 1}'), 'body.k\u0000ey', 'NUL'],
  ])('refuses unacceptable text in %j', (value, path, what) => {
    expect(findRefused(value)).toEqual({ path, message: expect.stringContaining(what) });
  });

  it.each([
    [{ title: 'a$b', tags: ['$not-a-key'] }],
    [null],
    ['text'],
    [[1, 2, { price: '$5' }]],
    [{ title: 'تم رصد 203.0.113.5 😀' }],
  ])('accepts %j', (value) => {
    expect(findRefused(value)).toBeUndefined();
  });

  it('refuses absurd nesting', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { a: deep };
    expect(findRefused(deep)?.path).toMatch(/^body(\.a)+$/);
  });
});

describe('findRefusedInTarget (paths and query strings)', () => {
  it.each([
    ['/api/v1/incidents/abc%00def', 'path'],
    ['/api/v1/incidents/%ED%A0%80', 'path'],
    ['/api/v1/incidents/%E0%A4%A', 'path'],
    ['/api/v1/incidents?since=2026%00', 'query.since'],
    ['/api/v1/search?value=%ED%B0%80', 'query.value'],
  ])('refuses %s', (url, path) => {
    expect(findRefusedInTarget(url)?.path).toBe(path);
  });

  it.each([
    ['/api/v1/incidents/01a2-x?limit=5&classification=malicious-code%2Fc2-server'],
    ['/api/v1/search?value=%D8%AA+x'],
  ])('accepts %s', (url) => {
    expect(findRefusedInTarget(url)).toBeUndefined();
  });
});
