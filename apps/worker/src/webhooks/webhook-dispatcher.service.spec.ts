import { webhookDeliveryId, type Notification, type WebhookDelivery, type WebhookEndpoint } from '@corridor/domain';
import type { WebhookDeliveriesRepository, WebhookEndpointsRepository } from '@corridor/persistence';
import type { WebhookJobProducer } from '@corridor/queue';
import { WebhookDispatcher } from './webhook-dispatcher.service';

const endpoint = (id: string, maxTlp: WebhookEndpoint['maxTlp']): WebhookEndpoint => ({
  id,
  orgId: 'org-a',
  url: `https://hooks.example.com/${id}`,
  eventTypes: ['alert.triggered'],
  maxTlp,
  description: null,
  enabled: true,
  disabledReason: null,
  secrets: [],
  createdBy: 'u1',
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

describe('WebhookDispatcher', () => {
  const notification: Notification = {
    id: 'alert-42',
    type: 'alert.triggered',
    orgId: 'org-a',
    tlp: 'AMBER',
    occurredAt: '2026-03-01T00:00:00.000Z',
    alertId: 'a42',
    content: { title: 'amber canary' },
  };

  function setup() {
    const stored = new Map<string, WebhookDelivery>();
    const asked: Array<{ orgId: string; type: string; ids?: readonly string[] }> = [];
    const enqueued: Array<[string, number, number]> = [];
    const endpoints = {
      subscribed: (orgId: string, type: string, ids?: readonly string[]) => {
        asked.push({ orgId, type, ids });
        return Promise.resolve([endpoint('e-green', 'GREEN'), endpoint('e-amber', 'AMBER')]);
      },
    } as unknown as WebhookEndpointsRepository;
    const deliveries = {
      insertIfAbsent: (delivery: WebhookDelivery) => {
        if (stored.has(delivery.id)) return Promise.resolve(false);
        stored.set(delivery.id, delivery);
        return Promise.resolve(true);
      },
    } as unknown as WebhookDeliveriesRepository;
    const jobs = {
      enqueue: (id: string, round: number, attempt: number) => {
        enqueued.push([id, round, attempt]);
        return Promise.resolve();
      },
    } as unknown as WebhookJobProducer;
    return { dispatcher: new WebhookDispatcher(endpoints, deliveries, jobs), stored, asked, enqueued };
  }

  it('records one delivery per subscribed endpoint, worded for its maxTlp, and enqueues its first attempt', async () => {
    const { dispatcher, stored, asked, enqueued } = setup();
    await dispatcher.dispatch(notification, { endpointIds: ['e-green', 'e-amber'] });
    expect(asked).toEqual([{ orgId: 'org-a', type: 'alert.triggered', ids: ['e-green', 'e-amber'] }]);
    const green = stored.get(webhookDeliveryId('e-green', 'alert-42'));
    const amber = stored.get(webhookDeliveryId('e-amber', 'alert-42'));
    expect(green?.body).not.toContain('amber canary');
    expect(amber?.body).toContain('amber canary');
    expect(enqueued).toEqual([
      [webhookDeliveryId('e-green', 'alert-42'), 0, 1],
      [webhookDeliveryId('e-amber', 'alert-42'), 0, 1],
    ]);
  });

  it('creates nothing twice when called again with the same notification', async () => {
    const { dispatcher, stored, enqueued } = setup();
    await dispatcher.dispatch(notification);
    await dispatcher.dispatch(notification);
    expect(stored.size).toBe(2);
    // The first attempt is enqueued again under the same job id: BullMQ collapses it, a delivery past it ignores it.
    expect(new Set(enqueued.map((job) => job.join('/'))).size).toBe(2);
  });
});
