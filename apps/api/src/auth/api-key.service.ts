import { Injectable } from '@nestjs/common';
import { DomainError, apiKeyId, apiKeyMatches } from '@corridor/domain';
import { OrganizationsRepository } from '@corridor/persistence';

/** Who is calling: an organization, through one of its API keys. */
export interface Principal {
  orgId: string;
  keyId: string;
}

const unauthorized = (message: string) => new DomainError('unauthorized', message);

@Injectable()
export class ApiKeyService {
  constructor(private readonly organizations: OrganizationsRepository) {}

  /** Resolves a presented key to its organization, or throws `unauthorized` without saying why beyond the basics. */
  async authenticate(token: string | undefined): Promise<Principal> {
    if (!token) throw unauthorized('an API key is required (Authorization: Bearer <key>)');
    const id = apiKeyId(token);
    if (!id) throw unauthorized('the API key is not valid');
    const stored = await this.organizations.findApiKey(id);
    if (!stored || stored.revokedAt || !apiKeyMatches(token, stored.hash))
      throw unauthorized('the API key is not valid');
    return { orgId: stored.orgId, keyId: stored.id };
  }
}
