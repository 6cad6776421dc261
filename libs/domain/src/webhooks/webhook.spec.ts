import type { Notification } from '../notifications/notification';
import {
  checkWebhookUrl,
  newWebhookDelivery,
  parseRetryAfter,
  rotateSecrets,
  signingSecrets,
  webhookBackoffMs,
  webhookDeliveryId,
  webhookNextStep,
} from './webhook';

const settings = { baseMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 8 };

describe('webhook retry schedule', () => {
  it('doubles from the base up to the cap, half of each delay fixed and half jitter', () => {
    const low = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => webhookBackoffMs(n, settings, () => 0));
    const high = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => webhookBackoffMs(n, settings, () => 0.9999999999));
    expect(low).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000]);
    expect(high).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000]);
    expect(webhookBackoffMs(3, settings, () => 0.5)).toBe(90_000);
  });

  it('succeeds on 2xx, disables on 410, retries anything else, and dead-letters after the last attempt', () => {
    const random = () => 0;
    expect(webhookNextStep(200, 1, undefined, settings, random)).toEqual({ kind: 'succeeded' });
    expect(webhookNextStep(204, 8, undefined, settings, random)).toEqual({ kind: 'succeeded' });
    expect(webhookNextStep(410, 1, 5000, settings, random)).toEqual({ kind: 'disable' });
    for (const status of [302, 301, 400, 404, 429, 500, 503, null])
      expect(webhookNextStep(status, 2, undefined, settings, random)).toEqual({ kind: 'retry', delayMs: 30_000 });
    expect(webhookNextStep(500, 8, undefined, settings, random)).toEqual({ kind: 'dead' });
    expect(webhookNextStep(null, 8, 1000, settings, random)).toEqual({ kind: 'dead' });
  });

  it('takes Retry-After instead of the backoff', () => {
    expect(webhookNextStep(429, 1, 7000, settings, () => 0)).toEqual({ kind: 'retry', delayMs: 7000 });
    expect(webhookNextStep(503, 3, 0, settings, () => 0)).toEqual({ kind: 'retry', delayMs: 0 });
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it('reads delay-seconds and HTTP-dates, caps at a day, and ignores what it cannot read', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999', now)).toBe(86_400_000);
    for (const bad of [undefined, '', '-5', '1.5', 'soon', '2026-03-01T12:00:30Z'])
      expect(parseRetryAfter(bad, now)).toBeUndefined();
  });
});

describe('checkWebhookUrl', () => {
  it('accepts http and https URLs and gives the host to resolve', () => {
    expect(checkWebhookUrl('https://hooks.example.com/in?x=1')).toEqual({
      ok: true,
      url: 'https://hooks.example.com/in?x=1',
      hostname: 'hooks.example.com',
    });
    expect(checkWebhookUrl('http://[2606:4700::1]:8080/h')).toMatchObject({ ok: true, hostname: '2606:4700::1' });
  });

  it('refuses other schemes, credentials, garbage and very long URLs', () => {
    for (const bad of ['ftp://a.example/x', 'file:///etc/passwd', 'https://u:p@a.example/', 'not a url', '/relative'])
      expect(checkWebhookUrl(bad).ok).toBe(false);
    expect(checkWebhookUrl(`https://a.example/${'x'.repeat(2048)}`).ok).toBe(false);
  });
});

describe('secrets', () => {
  const t0 = new Date('2026-03-01T00:00:00Z');
  const hour = 3_600_000;
  it('signs with the new and the previous secret during the overlap, then with the new one only', () => {
    const first = [{ value: 'whsec_A', createdAt: t0, expiresAt: null }];
    const rotated = rotateSecrets(first, 'whsec_B', new Date(t0.getTime() + hour), 24 * hour);
    expect(signingSecrets(rotated, new Date(t0.getTime() + 2 * hour))).toEqual(['whsec_B', 'whsec_A']);
    expect(signingSecrets(rotated, new Date(t0.getTime() + 26 * hour))).toEqual(['whsec_B']);
    const again = rotateSecrets(rotated, 'whsec_C', new Date(t0.getTime() + 30 * hour), 24 * hour);
    expect(again.map((s) => s.value)).toEqual(['whsec_C', 'whsec_B']);
  });
});

describe('deliveries', () => {
  const notification: Notification = {
    id: 'alert-1',
    type: 'alert.triggered',
    orgId: 'o1',
    tlp: 'AMBER',
    occurredAt: '2026-03-01T00:00:00.000Z',
    alertId: 'a1',
    content: { title: 'secret canary' },
  };
  it('has one stable id per endpoint and notification', () => {
    expect(webhookDeliveryId('e1', 'alert-1')).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(webhookDeliveryId('e1', 'alert-1')).toBe(webhookDeliveryId('e1', 'alert-1'));
    expect(webhookDeliveryId('e2', 'alert-1')).not.toBe(webhookDeliveryId('e1', 'alert-1'));
  });

  it('carries content only up to the endpoint’s highest TLP', () => {
    const now = new Date();
    const green = newWebhookDelivery({ id: 'e1', orgId: 'o1', maxTlp: 'GREEN' }, notification, now);
    expect(green.body).not.toContain('secret canary');
    expect(JSON.parse(green.body)).toEqual({
      type: 'alert.triggered',
      timestamp: '2026-03-01T00:00:00.000Z',
      data: {
        id: 'alert-1',
        type: 'alert.triggered',
        tlp: 'AMBER',
        label: 'TLP:AMBER',
        occurredAt: '2026-03-01T00:00:00.000Z',
        alertId: 'a1',
        withheld: true,
      },
    });
    const amber = newWebhookDelivery({ id: 'e1', orgId: 'o1', maxTlp: 'AMBER' }, notification, now);
    expect(JSON.parse(amber.body).data.content).toEqual({ title: 'secret canary' });
    const red = newWebhookDelivery({ id: 'e1', orgId: 'o1', maxTlp: 'AMBER' }, { ...notification, tlp: 'RED' }, now);
    expect(red.body).not.toContain('secret canary');
  });
});
