import { DEFANGED_SCHEMES } from './defang-forms';
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

  const moreCases: Array<[string, string]> = [
    // schemes beyond hxxp/fxp (MISP, ioc-fanger), and the host after them
    ['h[tt]p://a[.]example.com/', 'http://a.example.com/'],
    ['h[tt]ps://a[.]example.com/', 'https://a.example.com/'],
    ['hxtp://a[.]example.com/', 'http://a.example.com/'],
    ['htxp://a[.]example.com/', 'http://a.example.com/'],
    ['hXtPs://a[.]example.com/', 'https://a.example.com/'],
    ['h__p://a[.]example.com/', 'http://a.example.com/'],
    ['h..p://a[.]example.com/', 'http://a.example.com/'],
    ['meow://a[.]example.com/', 'http://a.example.com/'],
    ['[hxxp://]a[.]example.com/', 'http://a.example.com/'],
    ['[http]://a[.]example.com/', 'http://a.example.com/'],
    ['(hxxps)://a[.]example.com/', 'https://a.example.com/'],
    ['hxxp(:)//a[.]example.com/', 'http://a.example.com/'],
    ['http:\\/\\/a.example.com\\/x', 'http://a.example.com/x'],
    ['fxxp://files[.]example.com/', 'ftp://files.example.com/'],
    ['f[t]p://files[.]example.com/', 'ftp://files.example.com/'],
    // an unknown scheme keeps its name; the host is still refanged
    ['tcp://a[.]example.com:443', 'tcp://a.example.com:443'],
    ['help://a[.]example.com/', 'help://a.example.com/'],
    // more markers (ioc-fanger)
    ['evil-example[,]com', 'evil-example.com'],
    ['evil-example[punto]com', 'evil-example.com'],
    ['evil-example(punkt)com', 'evil-example.com'],
    ['bad[arroba]evil-example.com', 'bad@evil-example.com'],
    ['bad(et)evil-example.com', 'bad@evil-example.com'],
    ['evil[-]example.com', 'evil-example.com'],
    ['hxxp://[www].evil-example[.]com/', 'http://www.evil-example.com/'],
    ['evil-example\\/x', 'evil-example/x'],
    ['evil-example\uff61com', 'evil-example.com'],
    ['evil-example[[[.]]]com', 'evil-example.com'],
    ['evil-example[( . )]com', 'evil-example.com'],
    // path, query and fragment keep their bytes, but for [.] [dot] [/]
    ['http://example.com/?q=a\\.b', 'http://example.com/?q=a\\.b'],
    ['hxxp://evil[.]example.com/?q=a\\.b#x\\.y', 'http://evil.example.com/?q=a\\.b#x\\.y'],
    ['http://example.com/a(.)b{.}c(dot)d', 'http://example.com/a(.)b{.}c(dot)d'],
    ['http://example.com/a\u3002b', 'http://example.com/a\u3002b'],
    ['http://example.com/a[at]b', 'http://example.com/a[at]b'],
    ['hxxp://evil[.]com/payload[.]exe', 'http://evil.com/payload.exe'],
    ['hxxp://evil[.]com/a[/]b[dot]php', 'http://evil.com/a/b.php'],
    ['http://example.com/x;y', 'http://example.com/x;y'],
    ['http://example.com/x,y', 'http://example.com/x,y'],
    ['http://example.com/x;', 'http://example.com/x'],
    ['http://example.com/a)', 'http://example.com/a'],
    // format characters and Arabic-script punctuation
    ['\u200f203.0.113.5\u200f', '203.0.113.5'],
    ['\u200e203.0.113.5\u200e', '203.0.113.5'],
    ['\u061c203.0.113.5', '203.0.113.5'],
    ['\u2067203.0.113.5\u2069', '203.0.113.5'],
    ['\u202b203.0.113.5\u202c', '203.0.113.5'],
    ['\ufeff203.0.113.5', '203.0.113.5'],
    ['203.0.\u200d113.5', '203.0.113.5'],
    ['203.0.113.5\u060c', '203.0.113.5'],
    ['evil-example[.]com\u061b', 'evil-example.com'],
    ['evil-example[.]com\u061f', 'evil-example.com'],
    ['evil-example[.]com\u06d4', 'evil-example.com'],
    // not URLs, not markers
    ['x[__proto__]y', 'x[__proto__]y'],
    ['[constructor]', 'constructor'],
    ['a[b]c', 'a[b]c'],
  ];

  it.each(moreCases)('refang(%j) === %j', (input, expected) => {
    expect(refang(input)).toBe(expected);
  });

  it.each(moreCases)('is idempotent for %j', (input) => {
    const once = refang(input);
    expect(refang(once)).toBe(once);
  });

  it.each([...DEFANGED_SCHEMES])('rewrites the table scheme %j as %j, upper-case too', (form, scheme) => {
    expect(refang(`${form}://evil-example[.]com/a[.]b`)).toBe(`${scheme}://evil-example.com/a.b`);
    expect(refang(`${form.toUpperCase()}[://]evil-example[.]com`)).toBe(`${scheme}://evil-example.com`);
  });

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

describe('refang, a form only a second pass undoes', () => {
  it('collapses an escaped [/] after a defanged scheme the same way every time', () => {
    const once = refang('https[://]\\[/]');
    expect(refang(once)).toBe(once);
  });
});
