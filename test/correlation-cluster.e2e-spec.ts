import {
  call,
  createOrgAdmin,
  createOrganization,
  incidentBody,
  logIn,
  startDeployment,
  uniqueName,
  waitFor,
  type Deployment,
} from '@corridor/testing';

type Node = { id: string; root: boolean; organization: { id: string | null; name: string } } & Record<string, unknown>;
type Edge = { source: string; target: string; indicators: Array<{ type: string; value: string }> };
type Cluster = { nodes: Node[]; edges: Edge[]; truncated: boolean };

/**
 * The correlation cluster around an incident (GET /api/v1/incidents/:id/cluster). The world, by
 * organization (A, B, C) and shared indicator (x1, x2, x3):
 *
 *   R (B, GREEN naming A) ─x1─ M (A, AMBER naming nobody) ─x2─ N (C, CLEAR)
 *   R ─x1─ V (A, GREEN naming B) ─x3─ W (C, CLEAR)
 *
 * B may not see M: from R it must reach V and W, and neither M nor N (two hops away only through M),
 * nor learn x2. A sees everything; C sees only N and W.
 */
describe('correlation cluster (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  const orgs: Record<'a' | 'b' | 'c', { id: string; name: string; key: string }> = {} as never;
  const x = { x1: '', x2: '', x3: '' };
  const inc = { R: '', M: '', V: '', N: '', W: '' };
  const hiddenTitle = `AMBER ${uniqueName('bridge-')}`;

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const processed = async (token: string, overrides: Record<string, unknown>) => {
    const created = await http(token, 'POST', '/api/v1/incidents', incidentBody(overrides));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await waitFor(
      async () => (await http(token, 'GET', `/api/v1/incidents/${id}`)).body.state === 'correlated',
      15_000,
      `incident ${id} correlated`,
    );
    return id;
  };
  const cluster = async (token: string, id: string, query = '') => {
    const reply = await http(token, 'GET', `/api/v1/incidents/${id}/cluster${query}`);
    expect(reply.status).toBe(200);
    return reply.body as Cluster;
  };
  const nodeIds = (c: Cluster) => c.nodes.map((node) => node.id);
  const edgePairs = (c: Cluster) =>
    c.edges.map((edge) => [edge.source, edge.target, edge.indicators.map((i) => i.value)]).sort();

  beforeAll(async () => {
    deployment = await startDeployment('api-cluster');
    baseUrl = deployment.baseUrl;
    for (const tag of ['a', 'b', 'c'] as const) orgs[tag] = await createOrganization(deployment.env, { kind: 'cert' });
    for (const name of ['x1', 'x2', 'x3'] as const) x[name] = `${uniqueName(`${name}-`)}.corridor-test.net`;
    inc.M = await processed(orgs.a.key, { tlp: 'AMBER', title: hiddenTitle, indicators: [x.x1, x.x2] });
    inc.V = await processed(orgs.a.key, {
      tlp: 'GREEN',
      recipients: { organizations: [orgs.b.id], users: [] },
      indicators: [x.x1, x.x3],
    });
    inc.N = await processed(orgs.c.key, { tlp: 'CLEAR', indicators: [x.x2] });
    inc.W = await processed(orgs.c.key, { tlp: 'CLEAR', indicators: [x.x3] });
    inc.R = await processed(orgs.b.key, {
      tlp: 'GREEN',
      recipients: { organizations: [orgs.a.id], users: [] },
      indicators: [x.x1],
    });
  }, 240_000);

  afterAll(async () => {
    await Promise.all([deployment.api.stop(), deployment.worker.stop()]);
  }, 180_000);

  it('walks two hops through visible incidents only: no node, edge or indicator of the AMBER bridge', async () => {
    const seen = await cluster(orgs.b.key, inc.R);
    expect(nodeIds(seen)).toEqual([inc.R, inc.V, inc.W]);
    expect(seen.nodes.map((node) => node.root)).toEqual([true, false, false]);
    expect(edgePairs(seen)).toEqual(
      [
        [inc.R, inc.V, [x.x1]],
        [inc.W, inc.V, [x.x3]],
      ].sort(),
    );
    expect(seen.truncated).toBe(false);
    const text = JSON.stringify(seen);
    for (const secret of [inc.M, inc.N, x.x2, hiddenTitle]) expect(text).not.toContain(secret);
    // Two hops is the default.
    expect(await cluster(orgs.b.key, inc.R, '?hops=2')).toEqual(seen);
  });

  it('shows each node as the incident list shows it', async () => {
    const seen = await cluster(orgs.b.key, inc.R);
    for (const node of seen.nodes) {
      const detail = (await http(orgs.b.key, 'GET', `/api/v1/incidents/${node.id}`)).body;
      const { root, ...summary } = node;
      expect(root).toBe(node.id === inc.R);
      expect(summary).toEqual({
        id: detail.id,
        organization: detail.organization,
        title: detail.title,
        severity: detail.severity,
        tlp: detail.tlp,
        classification: detail.classification,
        state: detail.state,
        status: detail.status,
        createdAt: detail.createdAt,
      });
    }
  });

  it('passes through the bridge for an organization that may see it', async () => {
    const seen = await cluster(orgs.a.key, inc.R);
    expect(nodeIds(seen)).toEqual([inc.R, inc.V, inc.M, inc.W, inc.N]);
    expect(edgePairs(seen)).toEqual(
      [
        [inc.R, inc.M, [x.x1]],
        [inc.R, inc.V, [x.x1]],
        [inc.N, inc.M, [x.x2]],
        [inc.W, inc.V, [x.x3]],
      ].sort(),
    );
    const oneHop = await cluster(orgs.a.key, inc.R, '?hops=1');
    expect(nodeIds(oneHop)).toEqual([inc.R, inc.V, inc.M]);
    expect(edgePairs(oneHop)).toEqual(
      [
        [inc.R, inc.M, [x.x1]],
        [inc.R, inc.V, [x.x1]],
      ].sort(),
    );
    const fromBridge = await cluster(orgs.a.key, inc.M, '?hops=1');
    expect(nodeIds(fromBridge)).toEqual([inc.M, inc.R, inc.N]);
  });

  it('stops at an incident the caller may not see, however far it leads', async () => {
    const fromN = await cluster(orgs.c.key, inc.N);
    expect(fromN).toEqual({ nodes: [expect.objectContaining({ id: inc.N, root: true })], edges: [], truncated: false });
    const oneHop = await cluster(orgs.b.key, inc.R, '?hops=1');
    expect(nodeIds(oneHop)).toEqual([inc.R, inc.V]);
    expect(edgePairs(oneHop)).toEqual([[inc.R, inc.V, [x.x1]]]);
  });

  it('answers 404 as GET incident does when the root is not visible', async () => {
    for (const id of [inc.M, '00000000-0000-7000-8000-000000000000']) {
      const read = await http(orgs.c.key, 'GET', `/api/v1/incidents/${id}`);
      const reply = await http(orgs.c.key, 'GET', `/api/v1/incidents/${id}/cluster`);
      expect(read.status).toBe(404);
      expect({ status: reply.status, body: reply.body }).toEqual({ status: 404, body: read.body });
    }
  });

  it('answers bad query values with 400 naming the field, and needs incidents:read', async () => {
    for (const [query, field] of [
      ['hops=3', 'hops'],
      ['hops=0', 'hops'],
      ['hops=two', 'hops'],
      ['hops=1.5', 'hops'],
      ['depth=3', 'depth'],
      ['depth=1&hops=2', 'depth'],
      ['levels=2', 'levels'],
    ]) {
      const reply = await http(orgs.b.key, 'GET', `/api/v1/incidents/${inc.R}/cluster?${query}`);
      expect({ query, status: reply.status }).toEqual({ query, status: 400 });
      expect(new Set(reply.body.error.details.fields.map((f: { field: string }) => f.field))).toEqual(new Set([field]));
    }
    const admin = await createOrgAdmin(deployment, orgs.b.id, { roles: ['org-admin'] });
    const token = (await logIn(baseUrl, admin)).accessToken;
    const alertsOnly = await http(token, 'POST', '/api/v1/keys', { name: 'alerts', scopes: ['alerts:read'] });
    expect(alertsOnly.status).toBe(201);
    expect((await http(alertsOnly.body.apiKey, 'GET', `/api/v1/incidents/${inc.R}/cluster`)).status).toBe(403);
  });

  it('describes the cluster in the OpenAPI document', async () => {
    const docs = await call(baseUrl, 'GET', '/docs/openapi.json');
    const route = docs.body.paths['/api/v1/incidents/{id}/cluster'].get;
    expect(route.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/IncidentClusterDto',
    });
    const schemas = docs.body.components.schemas;
    expect(schemas.IncidentClusterDto.required).toEqual(['nodes', 'edges', 'truncated']);
    expect(schemas.ClusterNodeDto.required).toEqual(expect.arrayContaining(['id', 'organization', 'root', 'tlp']));
    expect(schemas.ClusterEdgeDto.required).toEqual(['source', 'target', 'indicators']);
  });
});
