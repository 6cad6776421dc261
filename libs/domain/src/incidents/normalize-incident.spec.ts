import { collectSubmittedIndicators, normalizeSubmitted } from './normalize-incident';

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
    const { indicators, rejected } = normalizeSubmitted(submitted);
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
});
