import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  DomainError,
  ORGANIZATION_KINDS,
  apiKeyIdFromPrefix,
  generateApiKey,
  hashApiKey,
  type Organization,
} from '@corridor/domain';
import { CorrelationIndex, IncidentsRepository, OrganizationsRepository } from '@corridor/persistence';

const usage = (message: string) => new DomainError('validation_failed', message);

/** The operator's commands; each returns the JSON object the CLI prints. */
@Injectable()
export class CommandsService {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly index: CorrelationIndex,
  ) {}

  async createOrganization(input: { name?: string; country?: string; kind?: string }) {
    const name = input.name?.trim() ?? '';
    const country = input.country?.trim().toUpperCase() ?? '';
    if (name.length < 1 || name.length > 200) throw usage('--name is required (1 to 200 characters)');
    if (!/^[A-Z]{2}$/.test(country)) throw usage('--country must be an ISO 3166-1 alpha-2 code, e.g. PK');
    const kind = ORGANIZATION_KINDS.find((k) => k === input.kind);
    if (!kind) throw usage(`--kind must be one of: ${ORGANIZATION_KINDS.join(', ')}`);
    const organization: Organization = { id: uuidv7(), name, country, kind, createdAt: new Date() };
    await this.organizations.create(organization);
    return { organization, ...(await this.issueKey(organization.id)) };
  }

  async createKey(orgId: string | undefined) {
    if (!orgId || !(await this.organizations.findById(orgId)))
      throw usage('--org must name an existing organization id');
    return this.issueKey(orgId);
  }

  async revokeKey(prefix: string | undefined) {
    const id = prefix ? apiKeyIdFromPrefix(prefix) : undefined;
    if (!id) throw usage('give the key prefix, e.g. cor_0123456789ab');
    if (!(await this.organizations.revokeApiKey(id, new Date())))
      throw new DomainError('not_found', `no API key ${id}`);
    return { revoked: `cor_${id}` };
  }

  async reindex() {
    const started = Date.now();
    const incidents = await this.index.rebuild(() => this.incidents.streamIndexed());
    return { reindexed: incidents, ms: Date.now() - started };
  }

  /** The key is shown once, here; only its hash is stored. */
  private async issueKey(orgId: string) {
    const { id, token } = generateApiKey();
    await this.organizations.createApiKey({ id, orgId, hash: hashApiKey(token), createdAt: new Date() });
    return { apiKey: token, apiKeyPrefix: `cor_${id}` };
  }
}
