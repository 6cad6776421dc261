import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import {
  call,
  createOrgAdmin,
  createOrganization,
  createPerson,
  logIn,
  startDeployment,
  waitFor,
  type Deployment,
} from '@corridor/testing';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}
type Reply = { status: number; headers?: Record<string, string> };
type Attempt = {
  round: number;
  attempt: number;
  status: number | null;
  error: string | null;
  retryInMs: number | null;
};
type Delivery = { id: string; state: string; round: number; attempts: Attempt[] };

/**
 * Webhooks (issue #10 §3, §5) on the real stores: a receiver this suite starts on 127.0.0.1 (the
 * deployment allows 127.0.0.1/32 through WEBHOOK_ALLOWED_CIDRS) verifies every request with the
 * `standardwebhooks` reference library; the delivery log says what happened. A second deployment with
 * the default settings refuses a loopback target.
 */
describe('webhooks (api, worker, FerretDB, Redis, a local receiver)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  let admin: string;
  let receiver: http.Server;
  let receiverUrl: string;
  const received: Received[] = [];
  const scripts = new Map<string, Reply[]>();
  let pathCounter = 0;

  const api = (method: string, path: string, body?: unknown, token = admin) =>
    call(baseUrl, method, path, { token, body });
  const at = (path: string) => received.filter((r) => r.path === path);

  /** A receiver path answering `replies` in turn (the last one from then on). */
  const route = (replies: Reply[]) => {
    const path = `/hook-${++pathCounter}`;
    scripts.set(path, [...replies]);
    return path;
  };
  const register = async (path: string, extra: Record<string, unknown> = {}) => {
    const reply = await api('POST', '/api/v1/webhooks/endpoints', {
      url: `${receiverUrl}${path}`,
      eventTypes: ['alert.triggered', 'test'],
      ...extra,
    });
    expect(reply.status).toBe(201);
    return reply.body as { id: string; secret: string; maxTlp: string; enabled: boolean };
  };
  const sendTest = async (endpointId: string, body: Record<string, unknown> = {}) => {
    const reply = await api('POST', `/api/v1/webhooks/endpoints/${endpointId}/test`, body);
    expect(reply.status).toBe(202);
    return reply.body as Delivery;
  };
  const deliveryOf = async (endpointId: string, id: string) => {
    const reply = await api('GET', `/api/v1/webhooks/endpoints/${endpointId}/deliveries`);
    expect(reply.status).toBe(200);
    return (reply.body.items as Delivery[]).find((d) => d.id === id);
  };
  const settled = async (endpointId: string, id: string, states: string[], attempts?: number) => {
    let last: Delivery | undefined;
    await waitFor(
      async () => {
        last = await deliveryOf(endpointId, id);
        return !!last && states.includes(last.state) && (attempts === undefined || last.attempts.length >= attempts);
      },
      30_000,
      `delivery ${id} ${states.join('/')}`,
    );
    return last as Delivery;
  };
  const verified = (request: Received, secret: string) =>
    new Webhook(secret).verify(request.body, request.headers) as { type: string; data: Record<string, unknown> };

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        received.push({
          path,
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const script = scripts.get(path);
        const next = script && script.length > 1 ? script.shift() : script?.[0];
        res.writeHead(next?.status ?? 200, next?.headers).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    deployment = await startDeployment('webhooks', {
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_BACKOFF_MS: '50',
      WEBHOOK_BACKOFF_MAX_MS: '200',
      WEBHOOK_TIMEOUT_MS: '5000',
    });
    baseUrl = deployment.baseUrl;
    const org = await createOrganization(deployment.env);
    const person = await createOrgAdmin(deployment, org.id, { roles: ['org-admin', 'analyst'] });
    admin = (await logIn(baseUrl, person)).accessToken;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }, 180_000);

  describe('endpoints', () => {
    it('registers with a whsec_ secret shown once, and refuses RED, unknown types and bad URLs naming the field', async () => {
      const endpoint = await register(route([{ status: 200 }]), { description: 'SOC' });
      expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(endpoint.secret.slice(6), 'base64')).toHaveLength(32);
      expect(endpoint).toMatchObject({ maxTlp: 'GREEN', enabled: true });
      const read = await api('GET', `/api/v1/webhooks/endpoints/${endpoint.id}`);
      expect(read.status).toBe(200);
      expect(JSON.stringify(read.body)).not.toContain(endpoint.secret.slice(6));
      const listed = await api('GET', '/api/v1/webhooks/endpoints');
      expect(listed.body.map((e: { id: string }) => e.id)).toContain(endpoint.id);
      expect(JSON.stringify(listed.body)).not.toContain('whsec_');

      const bad = async (body: Record<string, unknown>, field: string) => {
        const reply = await api('POST', '/api/v1/webhooks/endpoints', body);
        expect([reply.status, reply.body.error.details.fields.map((f: { field: string }) => f.field)]).toEqual([
          400,
          [field],
        ]);
      };
      await bad({ url: `${receiverUrl}/x`, eventTypes: ['test'], maxTlp: 'RED' }, 'maxTlp');
      await bad({ url: `${receiverUrl}/x`, eventTypes: ['alert.nonsense'] }, 'eventTypes');
      await bad({ url: 'ftp://127.0.0.1/x', eventTypes: ['test'] }, 'url');
      await bad({ url: 'http://10.0.0.1/x', eventTypes: ['test'] }, 'url');
      const patched = await api('PATCH', `/api/v1/webhooks/endpoints/${endpoint.id}`, { maxTlp: 'AMBER' });
      expect(patched.body.maxTlp).toBe('AMBER');
      const patchedBad = await api('PATCH', `/api/v1/webhooks/endpoints/${endpoint.id}`, {
        url: 'http://169.254.169.254/latest',
      });
      expect(patchedBad.status).toBe(400);
      expect(patchedBad.body.error.details.fields[0].field).toBe('url');
    });

    it('is for org-admins of the organization only', async () => {
      const endpoint = await register(route([{ status: 200 }]));
      const analyst = await createPerson(baseUrl, admin, ['analyst']);
      const analystToken = (await logIn(baseUrl, analyst)).accessToken;
      expect((await api('GET', '/api/v1/webhooks/endpoints', undefined, analystToken)).status).toBe(403);
      const other = await createOrganization(deployment.env);
      const otherAdmin = await createOrgAdmin(deployment, other.id);
      const otherToken = (await logIn(baseUrl, otherAdmin)).accessToken;
      expect((await api('GET', `/api/v1/webhooks/endpoints/${endpoint.id}`, undefined, otherToken)).status).toBe(404);
      expect((await api('POST', `/api/v1/webhooks/endpoints/${endpoint.id}/test`, {}, otherToken)).status).toBe(404);
      const audit = await api('GET', '/api/v1/audit?limit=200');
      expect(audit.status).toBe(200);
      expect(JSON.stringify(audit.body)).toContain('webhook.endpoint.create');
    });
    it('is described in the OpenAPI document, the secret only in the answers that show it', async () => {
      const doc = (await call(baseUrl, 'GET', '/docs/openapi.json')).body;
      const created = doc.paths['/api/v1/webhooks/endpoints'].post.responses['201'].content['application/json'];
      expect(created.schema.$ref).toBe('#/components/schemas/WebhookEndpointWithSecretDto');
      const read = doc.paths['/api/v1/webhooks/endpoints/{id}'].get.responses['200'].content['application/json'];
      expect(read.schema.$ref).toBe('#/components/schemas/WebhookEndpointDto');
      expect(Object.keys(doc.components.schemas.WebhookEndpointDto.properties)).not.toContain('secret');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/webhooks/endpoints/{id}/rotate-secret',
          '/api/v1/webhooks/endpoints/{id}/deliveries',
          '/api/v1/webhooks/endpoints/{id}/replay',
          '/api/v1/webhooks/endpoints/{id}/test',
          '/api/v1/webhooks/deliveries/{id}/replay',
        ]),
      );
    });
  });

  describe('delivery', () => {
    it('500, 500, 200: three attempts, one webhook-id, each validly signed', async () => {
      const path = route([{ status: 500 }, { status: 500 }, { status: 200 }]);
      const endpoint = await register(path);
      const sent = await sendTest(endpoint.id);
      const delivery = await settled(endpoint.id, sent.id, ['succeeded']);
      expect(delivery.attempts.map((a) => [a.round, a.attempt, a.status])).toEqual([
        [0, 1, 500],
        [0, 2, 500],
        [0, 3, 200],
      ]);
      expect(delivery.attempts[0].error).toBe('answered 500');
      const requests = at(path);
      expect(requests).toHaveLength(3);
      expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([sent.id]));
      for (const request of requests) expect(verified(request, endpoint.secret).type).toBe('test');
      expect(() => verified(requests[0], `whsec_${Buffer.alloc(32, 7).toString('base64')}`)).toThrow();
    });

    it('always 500: dead-lettered after the last attempt, and no more requests', async () => {
      const path = route([{ status: 500 }]);
      const endpoint = await register(path);
      const sent = await sendTest(endpoint.id);
      const delivery = await settled(endpoint.id, sent.id, ['dead']);
      expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 500]);
      expect(delivery.attempts[2].retryInMs).toBeNull();
      expect(at(path)).toHaveLength(3);
    });

    it('410 disables the endpoint and stops', async () => {
      const path = route([{ status: 410 }]);
      const endpoint = await register(path);
      const sent = await sendTest(endpoint.id);
      const delivery = await settled(endpoint.id, sent.id, ['failed']);
      expect(delivery.attempts.map((a) => a.status)).toEqual([410]);
      const read = await api('GET', `/api/v1/webhooks/endpoints/${endpoint.id}`);
      expect(read.body).toMatchObject({ enabled: false, disabledReason: 'gone' });
      expect((await api('POST', `/api/v1/webhooks/endpoints/${endpoint.id}/test`, {})).status).toBe(409);
      expect(at(path)).toHaveLength(1);
    });

    it('honours Retry-After as the next delay', async () => {
      const path = route([{ status: 503, headers: { 'retry-after': '1' } }, { status: 200 }]);
      const endpoint = await register(path);
      const sent = await sendTest(endpoint.id);
      const delivery = await settled(endpoint.id, sent.id, ['succeeded']);
      // The backoff in this deployment is at most 200 ms: 1000 is the receiver's Retry-After.
      expect(delivery.attempts.map((a) => [a.status, a.retryInMs])).toEqual([
        [503, 1000],
        [200, null],
      ]);
      expect(at(path)).toHaveLength(2);
    });

    it('does not follow a redirect: a 302 is a failed attempt', async () => {
      const landing = route([{ status: 200 }]);
      const path = route([{ status: 302, headers: { location: `${receiverUrl}${landing}` } }]);
      const endpoint = await register(path);
      const sent = await sendTest(endpoint.id);
      const delivery = await settled(endpoint.id, sent.id, ['dead']);
      expect(delivery.attempts.map((a) => a.status)).toEqual([302, 302, 302]);
      expect(at(path)).toHaveLength(3);
      expect(at(landing)).toHaveLength(0);
    });

    it('replays one delivery and a time range with the same webhook-id, validly signed', async () => {
      const path = route([{ status: 200 }]);
      const endpoint = await register(path);
      const since = new Date(Date.now() - 1000).toISOString();
      const sent = await sendTest(endpoint.id);
      await settled(endpoint.id, sent.id, ['succeeded']);
      const replay = await api('POST', `/api/v1/webhooks/deliveries/${sent.id}/replay`);
      expect(replay.status).toBe(202);
      expect(replay.body).toMatchObject({ id: sent.id, round: 1, state: 'pending' });
      await waitFor(() => at(path).length === 2, 20_000, 'the replay');
      const range = await api('POST', `/api/v1/webhooks/endpoints/${endpoint.id}/replay`, {
        from: since,
        to: new Date(Date.now() + 1000).toISOString(),
      });
      expect(range.status).toBe(202);
      expect(range.body).toEqual({ replayed: 1, deliveryIds: [sent.id] });
      await waitFor(() => at(path).length === 3, 20_000, 'the range replay');
      for (const request of at(path)) {
        expect(request.headers['webhook-id']).toBe(sent.id);
        expect(verified(request, endpoint.secret).type).toBe('test');
      }
      const delivery = await settled(endpoint.id, sent.id, ['succeeded'], 3);
      expect(delivery.attempts.map((a) => [a.round, a.attempt, a.status])).toEqual([
        [0, 1, 200],
        [1, 1, 200],
        [2, 1, 200],
      ]);
      const missing = await api('POST', `/api/v1/webhooks/deliveries/msg_${'0'.repeat(32)}/replay`);
      expect(missing.status).toBe(404);
      const backwards = await api('POST', `/api/v1/webhooks/endpoints/${endpoint.id}/replay`, {
        from: new Date().toISOString(),
        to: since,
      });
      expect(backwards.status).toBe(400);
      expect(backwards.body.error.details.fields[0].field).toBe('to');
    });

    it('after a rotation sends two signatures, one per secret, each verifying', async () => {
      const path = route([{ status: 200 }]);
      const endpoint = await register(path);
      const rotated = await api('POST', `/api/v1/webhooks/endpoints/${endpoint.id}/rotate-secret`);
      expect(rotated.status).toBe(200);
      const fresh = rotated.body.secret as string;
      expect(fresh).toMatch(/^whsec_/);
      expect(fresh).not.toBe(endpoint.secret);
      expect(typeof rotated.body.previousSecretExpiresAt).toBe('string');
      const sent = await sendTest(endpoint.id);
      await settled(endpoint.id, sent.id, ['succeeded']);
      const [request] = at(path);
      const signatures = request.headers['webhook-signature'].split(' ');
      expect(signatures).toHaveLength(2);
      expect(signatures.every((s) => s.startsWith('v1,'))).toBe(true);
      // Each entry alone verifies with its own secret: the new one first, the previous one second.
      const only = (signature: string) => ({ ...request.headers, 'webhook-signature': signature });
      expect(() => new Webhook(fresh).verify(request.body, only(signatures[0]))).not.toThrow();
      expect(() => new Webhook(endpoint.secret).verify(request.body, only(signatures[1]))).not.toThrow();
      expect(() => new Webhook(fresh).verify(request.body, only(signatures[1]))).toThrow();
      expect(() => new Webhook(endpoint.secret).verify(request.body, only(signatures[0]))).toThrow();
    });
  });

  describe('TLP', () => {
    it('an AMBER notification reaches a GREEN endpoint without its content; CLEAR content travels', async () => {
      const path = route([{ status: 200 }]);
      const endpoint = await register(path);
      expect(endpoint.maxTlp).toBe('GREEN');
      const amberCanary = `canary-amber-${Date.now()}`;
      const clearCanary = `canary-clear-${Date.now()}`;
      const amber = await sendTest(endpoint.id, { tlp: 'AMBER', content: { title: amberCanary } });
      const clear = await sendTest(endpoint.id, { tlp: 'CLEAR', content: { title: clearCanary } });
      await settled(endpoint.id, amber.id, ['succeeded']);
      await settled(endpoint.id, clear.id, ['succeeded']);
      const amberRequest = at(path).find((r) => r.headers['webhook-id'] === amber.id) as Received;
      const clearRequest = at(path).find((r) => r.headers['webhook-id'] === clear.id) as Received;
      expect(amberRequest.body).not.toContain(amberCanary);
      const payload = verified(amberRequest, endpoint.secret);
      expect(payload.data).toMatchObject({ type: 'test', tlp: 'AMBER', label: 'TLP:AMBER', withheld: true });
      expect(payload.data.content).toBeUndefined();
      expect(verified(clearRequest, endpoint.secret).data).toMatchObject({
        label: 'TLP:CLEAR',
        withheld: false,
        content: { title: clearCanary },
      });
    });
  });

  describe('with the default settings (no WEBHOOK_ALLOWED_CIDRS)', () => {
    let strict: Deployment;
    beforeAll(async () => {
      strict = await startDeployment('webhooks-strict');
    }, 120_000);
    afterAll(async () => {
      await Promise.all([strict?.api.stop(), strict?.worker.stop()]);
    });

    it('refuses a loopback target (400 naming url), and nothing arrives', async () => {
      const org = await createOrganization(strict.env);
      const person = await createOrgAdmin(strict, org.id);
      const token = (await logIn(strict.baseUrl, person)).accessToken;
      const path = route([{ status: 200 }]);
      const port = (receiver.address() as AddressInfo).port;
      for (const url of [
        `http://127.0.0.1:${port}${path}`,
        `http://localhost:${port}${path}`,
        `http://[::1]:${port}/`,
      ]) {
        const reply = await call(strict.baseUrl, 'POST', '/api/v1/webhooks/endpoints', {
          token,
          body: { url, eventTypes: ['test'] },
        });
        expect([url, reply.status, reply.body.error.details.fields[0].field]).toEqual([url, 400, 'url']);
        expect(reply.body.error.details.fields[0].message).toMatch(/loopback address/);
      }
      const listed = await call(strict.baseUrl, 'GET', '/api/v1/webhooks/endpoints', { token });
      expect(listed.body).toEqual([]);
      expect(at(path)).toHaveLength(0);
    });
  });
});
