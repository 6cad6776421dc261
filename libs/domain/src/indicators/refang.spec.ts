import { refang, stripWrapping } from './refang';

describe('refang', () => {
  const cases: Array<[string, string]> = [
    // schemes
    ['hxxp://evil-example.com', 'http://evil-example.com'],
    ['hxxps://evil-example.com', 'https://evil-example.com'],
    ['hXXp://evil-example.com', 'http://evil-example.com'],
    ['HXXPS://evil-example.com', 'https://evil-example.com'],
    ['h**p://evil-example.com', 'http://evil-example.com'],
    ['h**ps://evil-example.com', 'https://evil-example.com'],
    ['fxp://files.example.com', 'ftp://files.example.com'],
    // dots
    ['evil-example[.]com', 'evil-example.com'],
    ['evil-example(.)com', 'evil-example.com'],
    ['evil-example{.}com', 'evil-example.com'],
    ['evil-example[dot]com', 'evil-example.com'],
    ['evil-example(dot)com', 'evil-example.com'],
    ['evil-example{DOT}com', 'evil-example.com'],
    ['evil-example[ dot ]com', 'evil-example.com'],
    ['evil-example\\.com', 'evil-example.com'],
    ['evil-example\uff0ecom', 'evil-example.com'],
    ['evil-example\u3002com', 'evil-example.com'],
    ['203.0.113[.]7', '203.0.113.7'],
    ['203[.]0[.]113[.]7', '203.0.113.7'],
    // at signs
    ['bad[at]evil-example.com', 'bad@evil-example.com'],
    ['bad(at)evil-example.com', 'bad@evil-example.com'],
    ['bad[@]evil-example.com', 'bad@evil-example.com'],
    ['bad[ AT ]evil-example.com', 'bad@evil-example.com'],
    // colons and slashes
    ['hxxp[:]//evil-example.com', 'http://evil-example.com'],
    ['hxxps[://]evil-example.com', 'https://evil-example.com'],
    ['http://evil-example.com[/]login', 'http://evil-example.com/login'],
    ['hxxps[:]//evil-example[.]com[/]a', 'https://evil-example.com/a'],
    // nested defanging is undone completely
    ['evil-example[[.]]com', 'evil-example.com'],
    // invisible characters
    ['evil\u200b-example.com', 'evil-example.com'],
    // wrapping and trailing punctuation
    ['  evil-example.com \n', 'evil-example.com'],
    ['"evil-example.com"', 'evil-example.com'],
    ['\u201cevil-example.com\u201d', 'evil-example.com'],
    ['`203.0.113.7`', '203.0.113.7'],
    ['**evil-example.com**', 'evil-example.com'],
    ['<http://example.com/>', 'http://example.com/'],
    ['(evil-example[.]com).', 'evil-example.com'],
    ['evil-example.com,', 'evil-example.com'],
    ['evil-example.com;', 'evil-example.com'],
    ['evil-example.com!?', 'evil-example.com'],
    ['evil-example.com:', 'evil-example.com'],
    ['evil-example.com...', 'evil-example.com'],
    ['[2001:db8::1]', '2001:db8::1'],
    // things that must survive
    ['2001:db8::', '2001:db8::'],
    ['http://example.com/wiki/Foo_(bar)', 'http://example.com/wiki/Foo_(bar)'],
    ['http://[2001:db8::1]:8080/', 'http://[2001:db8::1]:8080/'],
    ['hxxp is just a word', 'hxxp is just a word'],
    ['Dot.Com', 'Dot.Com'],
    ['', ''],
    ['   ', ''],
  ];

  it.each(cases)('refang(%j) === %j', (input, expected) => {
    expect(refang(input)).toBe(expected);
  });

  it.each(cases)('is idempotent for %j', (input) => {
    const once = refang(input);
    expect(refang(once)).toBe(once);
  });

  it('is idempotent on pseudo-random mixes of defang fragments', () => {
    const pieces = [
      '[',
      ']',
      '(',
      ')',
      '{',
      '}',
      '.',
      'dot',
      'at',
      '@',
      ':',
      '/',
      '\\',
      'hxxp',
      'h**p',
      'fxp',
      ' ',
      '"',
      '*',
      'x',
      '1',
      '\u3002',
      '\u200b',
      '<',
      '>',
      ',',
      '?',
      's',
      '::',
    ];
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const failures: string[] = [];
    for (let i = 0; i < 5000; i++) {
      let s = '';
      const n = 1 + Math.floor(next() * 12);
      for (let j = 0; j < n; j++) s += pieces[Math.floor(next() * pieces.length)];
      const once = refang(s);
      if (refang(once) !== once) failures.push(s);
    }
    expect(failures).toEqual([]);
  });
});

describe('stripWrapping', () => {
  it.each([
    ['(evil-example[.]com).', 'evil-example[.]com'],
    ['hxxp://evil-example[.]com/a)', 'hxxp://evil-example[.]com/a'],
    ['"bad[at]evil-example[.]com",', 'bad[at]evil-example[.]com'],
    ['http://example.com/a_(b))', 'http://example.com/a_(b)'],
    ['::', '::'],
  ])('stripWrapping(%j) === %j', (input, expected) => {
    expect(stripWrapping(input)).toBe(expected);
  });
});
