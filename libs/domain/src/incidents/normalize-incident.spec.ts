import { collectSubmittedIndicators, followIncidentPap, normalizeSubmitted } from './normalize-incident';

describe('collectSubmittedIndicators / normalizeSubmitted', () => {
  const listed = [
    { value: 'http://admin:s3cret-pass@evil-example.com/x' },
    { value: 'ftpuser:s3cret-pass@files.evil-example.com', type: 'domain' as const },
    { value: 'admin:s3cret-pass@localhost' },
  ];
  const description =
    'Dropper fetched hxxp://bob:s3cret-pass@evil-example[.]com/y, then logged in as root:s3cret-pass@203.0.113.9.';

  it('keeps no credential in what is stored: submitted values, indicators and rejections', () => {
    const submitted = collectSubmittedIndicators(listed, description);
    expect(submitted).toEqual([
      { raw: 'http://evil-example.com/x', type: undefined, source: 'field' },
      { raw: 'files.evil-example.com', type: 'domain', source: 'field' },
      { raw: 'localhost', type: undefined, source: 'field' },
      { raw: 'hxxp://evil-example[.]com/y', source: 'description' },
      { raw: '203.0.113.9', source: 'description' },
    ]);
    const { indicators, rejected } = normalizeSubmitted(submitted, 'AMBER');
    expect(indicators.map((i) => [i.type, i.value, i.source])).toEqual([
      ['url', 'http://evil-example.com/x', 'field'],
      ['domain', 'files.evil-example.com', 'field'],
      ['url', 'http://evil-example.com/y', 'description'],
      ['ipv4', '203.0.113.9', 'description'],
    ]);
    expect(rejected).toEqual([
      { raw: 'localhost', reason: 'unrecognized', message: 'Value is not a recognized indicator.' },
    ]);
    expect(JSON.stringify({ submitted, indicators, rejected })).not.toContain('s3cret');
  });

  it('marks each indicator with the warning lists it matches', () => {
    const submitted = collectSubmittedIndicators(
      ['8.8.8.8', '10.0.0.1', 'evil-example.com'].map((value) => ({ value })),
      '',
    );
    const { indicators } = normalizeSubmitted(submitted, 'GREEN');
    expect(indicators.map((i) => [i.value, i.warnings.map((w) => w.list)])).toEqual([
      ['8.8.8.8', ['public-dns-resolvers']],
      ['10.0.0.1', ['rfc1918']],
      ['evil-example.com', []],
    ]);
  });

  it('gives each indicator its own PAP, or the incident’s, which it then follows', () => {
    const submitted = collectSubmittedIndicators(
      [{ value: 'evil-example.com', pap: 'RED' as const }, { value: 'bad-example.net' }],
      'also seen: worse-example.org',
    );
    expect(submitted.map((s) => s.pap)).toEqual(['RED', undefined, undefined]);
    const { indicators } = normalizeSubmitted(submitted, 'AMBER');
    expect(indicators.map((i) => [i.value, i.pap, i.papGiven])).toEqual([
      ['evil-example.com', 'RED', true],
      ['bad-example.net', 'AMBER', undefined],
      ['worse-example.org', 'AMBER', undefined],
    ]);
    expect(followIncidentPap(indicators, 'CLEAR').map((i) => i.pap)).toEqual(['RED', 'CLEAR', 'CLEAR']);
  });
});
