import { parseAllowedCidrs } from '@corridor/domain';
import { checkWebhookTarget } from './webhook-target';

const resolver = (table: Record<string, string[]>) => (host: string) => {
  const found = table[host];
  return found ? Promise.resolve(found) : Promise.reject(new Error('ENOTFOUND'));
};

async function fieldError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return (error as { details?: { fields?: unknown } }).details?.fields;
  }
  throw new Error('expected a refusal');
}

describe('checkWebhookTarget', () => {
  const dns = resolver({
    'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'rebind.example.com': ['93.184.215.14', '10.0.0.5'],
    'metadata.example.com': ['169.254.169.254'],
  });

  it('accepts a URL whose host resolves to global addresses only', async () => {
    await expect(checkWebhookTarget('https://hooks.example.com/in', [], dns)).resolves.toBe(
      'https://hooks.example.com/in',
    );
  });

  it('refuses loopback, private and metadata targets, by name or literal, naming url', async () => {
    expect(await fieldError(checkWebhookTarget('http://127.0.0.1:8080/x', [], dns))).toEqual([
      {
        field: 'url',
        message:
          'resolves to 127.0.0.1, a loopback address: webhooks reach only global unicast addresses (or those inside WEBHOOK_ALLOWED_CIDRS)',
      },
    ]);
    for (const url of [
      'http://[::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'https://rebind.example.com/',
      'https://metadata.example.com/',
    ]) {
      const fields = (await fieldError(checkWebhookTarget(url, [], dns))) as Array<{ field: string }>;
      expect([url, fields[0].field]).toEqual([url, 'url']);
    }
    expect(await fieldError(checkWebhookTarget('https://nowhere.example.com/', [], dns))).toEqual([
      { field: 'url', message: 'host nowhere.example.com does not resolve' },
    ]);
    expect(await fieldError(checkWebhookTarget('ftp://hooks.example.com/', [], dns))).toEqual([
      { field: 'url', message: 'must be an http:// or https:// URL' },
    ]);
  });

  it('accepts what WEBHOOK_ALLOWED_CIDRS allows', async () => {
    await expect(checkWebhookTarget('http://127.0.0.1:9/x', parseAllowedCidrs('127.0.0.1/32'), dns)).resolves.toBe(
      'http://127.0.0.1:9/x',
    );
  });
});
