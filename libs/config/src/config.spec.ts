import { ConfigError, enrichmentProviders, loadConfig, mailOptions, webhookSettings } from './config';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({ MONGODB_URI: 'mongodb://127.0.0.1:27017/corridor' });
    expect(config.PORT).toBe(3000);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.REDIS_PREFIX).toBe('corridor');
  });

  it('names every bad variable in one line', () => {
    expect(() => loadConfig({ PORT: 'abc', REDIS_URL: 'http://x' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'http://x' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('MONGODB_URI is required');
      expect(message).toContain('PORT');
      expect(message).toContain('REDIS_URL must be a redis://');
      expect(message).not.toContain('\n');
    }
  });

  it('coerces numbers', () => {
    expect(loadConfig({ MONGODB_URI: 'mongodb://h/db', PORT: '8080' }).PORT).toBe(8080);
  });
});

describe('enrichment providers', () => {
  const base = { MONGODB_URI: 'mongodb://h/db' };
  const message = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };

  it('configures none by default', () => {
    expect(enrichmentProviders(loadConfig(base))).toEqual([]);
  });

  it('builds each configured provider with its descriptor, mapping and key header', () => {
    const providers = enrichmentProviders(
      loadConfig({
        ...base,
        ENRICH_REPUTATION_URL: 'https://rep.example.net/v1?value={value}',
        ENRICH_REPUTATION_API_KEY: 'secret',
        ENRICH_HTTP_JSON_URL: 'http://intel.example.org/{type}/{value}',
        ENRICH_HTTP_JSON_MAPPING: '{"score":"data.score"}',
        ENRICH_HTTP_JSON_TYPES: 'ipv4, domain',
        ENRICH_HTTP_JSON_MAX_PAP: 'CLEAR',
        ENRICH_HTTP_JSON_RATE_MAX: '4',
      }),
    );
    expect(providers.map((p) => p.descriptor)).toEqual([
      {
        name: 'reputation',
        types: ['ipv4', 'ipv6', 'domain', 'url'],
        maxPap: 'AMBER',
        cacheTtlSeconds: 86_400,
        rateLimit: { max: 60, durationMs: 60_000 },
        timeoutMs: 5000,
      },
      {
        name: 'http-json',
        types: ['ipv4', 'domain'],
        maxPap: 'CLEAR',
        cacheTtlSeconds: 86_400,
        rateLimit: { max: 4, durationMs: 60_000 },
        timeoutMs: 5000,
      },
    ]);
    expect(providers[0].headers).toEqual({ 'x-api-key': 'secret' });
    expect(providers[1].mapping).toEqual({ score: ['data', 'score'] });
  });

  it('refuses a bad provider configuration in one line naming the variable', () => {
    const url = 'http://intel.example.org/{value}';
    expect(message({ ...base, ENRICH_HTTP_JSON_URL: url })).toBe(
      'invalid configuration: ENRICH_HTTP_JSON_MAPPING is required',
    );
    expect(message({ ...base, ENRICH_HTTP_JSON_URL: url, ENRICH_HTTP_JSON_MAPPING: '{"a":"x..y"}' })).toContain(
      "ENRICH_HTTP_JSON_MAPPING path of 'a' must be 1 to 10 dot-separated names",
    );
    expect(message({ ...base, ENRICH_HTTP_JSON_URL: url, ENRICH_HTTP_JSON_MAPPING: 'nope' })).toContain(
      'ENRICH_HTTP_JSON_MAPPING must be JSON',
    );
    expect(message({ ...base, ENRICH_HTTP_JSON_URL: 'http://intel.example.org/' })).toContain(
      'ENRICH_HTTP_JSON_URL must contain {value}',
    );
    expect(message({ ...base, ENRICH_REPUTATION_MAX_PAP: 'PURPLE' })).toContain('ENRICH_REPUTATION_MAX_PAP');
    expect(message({ ...base, ENRICH_REPUTATION_MAX_PAP: 'RED' })).toContain('PAP:RED never leaves the platform');
    expect(message({ ...base, ENRICH_REPUTATION_TYPES: 'ipv4,bitcoin' })).toContain(
      'ENRICH_REPUTATION_TYPES has unknown indicator types: bitcoin',
    );
    expect(message({ ...base, ENRICH_REPUTATION_URL: 'https://rep.example.net/{value}' })).toContain(
      'ENRICH_REPUTATION_API_KEY is required',
    );
    expect(message({ ...base, ENRICH_HTTP_JSON_MAPPING: '{"a":"x..y"}' })).not.toContain('\n');
  });
});

describe('webhook settings', () => {
  const base = { MONGODB_URI: 'mongodb://h/db' };

  it('allows no private range by default and gives the documented retry schedule', () => {
    const settings = webhookSettings(loadConfig(base));
    expect(settings.allowedCidrs).toEqual([]);
    expect(settings.retry).toEqual({ baseMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 8 });
    expect(settings.secretOverlapMs).toBe(86_400_000);
  });

  it('reads WEBHOOK_ALLOWED_CIDRS and refuses a bad entry naming the variable', () => {
    const settings = webhookSettings(loadConfig({ ...base, WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32, 10.0.0.0/8' }));
    expect(settings.allowedCidrs.map(([address, bits]) => `${address.toString()}/${bits}`)).toEqual([
      '127.0.0.1/32',
      '10.0.0.0/8',
    ]);
    expect(() => loadConfig({ ...base, WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32,localhost' })).toThrow(
      'WEBHOOK_ALLOWED_CIDRS has a bad entry: "localhost" is not a CIDR',
    );
  });
});

describe('e-mail', () => {
  const base = { MONGODB_URI: 'mongodb://h/db' };
  const message = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };

  it('is off without SMTP_URL', () => {
    expect(mailOptions(loadConfig(base))).toBeUndefined();
  });

  it('is on with SMTP_URL and MAIL_FROM, with the retry defaults', () => {
    const options = mailOptions(
      loadConfig({
        ...base,
        SMTP_URL: 'smtps://user:pass@mail.example.org:465',
        MAIL_FROM: 'Corridor <alerts@cert.example>',
        MAIL_LINK_BASE_URL: 'https://corridor.example/',
      }),
    );
    expect(options).toEqual({
      smtpUrl: 'smtps://user:pass@mail.example.org:465',
      from: 'Corridor <alerts@cert.example>',
      maxAttempts: 8,
      backoffMs: 10_000,
      linkBaseUrl: 'https://corridor.example',
    });
  });

  it('refuses a bad mail configuration in one line naming the variable', () => {
    expect(message({ ...base, SMTP_URL: 'smtp://mail.example.org' })).toBe(
      'invalid configuration: MAIL_FROM is required',
    );
    expect(message({ ...base, SMTP_URL: 'http://mail.example.org', MAIL_FROM: 'a@b.example' })).toBe(
      'invalid configuration: SMTP_URL must be an smtp:// or smtps:// URL',
    );
    for (const from of ['alerts', 'a@b.example\r\nBcc: c@d.example', 'Corridor <alerts>'])
      expect(message({ ...base, SMTP_URL: 'smtp://mail.example.org', MAIL_FROM: from })).toContain(
        'MAIL_FROM must be an address',
      );
    expect(message({ ...base, MAIL_MAX_ATTEMPTS: '0' })).toContain('MAIL_MAX_ATTEMPTS');
    expect(message({ ...base, MAIL_BACKOFF_MS: 'soon' })).toContain('MAIL_BACKOFF_MS');
    expect(message({ ...base, MAIL_LINK_BASE_URL: 'javascript:alert(1)' })).toContain('MAIL_LINK_BASE_URL');
  });
});

describe('deadline settings', () => {
  it('makes a deadline due soon 6 hours ahead by default, fractions of an hour allowed', () => {
    expect(loadConfig({ MONGODB_URI: 'mongodb://h/db' }).DEADLINE_SOON_HOURS).toBe(6);
    expect(loadConfig({ MONGODB_URI: 'mongodb://h/db', DEADLINE_SOON_HOURS: '0.5' }).DEADLINE_SOON_HOURS).toBe(0.5);
  });

  it('refuses a window that is not a positive number, naming the variable', () => {
    for (const bad of ['0', '-1', 'soon'])
      expect(() => loadConfig({ MONGODB_URI: 'mongodb://h/db', DEADLINE_SOON_HOURS: bad })).toThrow(
        /DEADLINE_SOON_HOURS/,
      );
  });
});
