import { readFile } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  AuditChainVerifier,
  DomainError,
  ORGANIZATION_KINDS,
  apiKeyIdFromPrefix,
  newWatchEntry,
  readWatchFile,
  type AuditBreak,
  type Organization,
  type WatchImportSummary,
} from '@corridor/domain';
import {
  AuditRepository,
  CorrelationIndex,
  IncidentsRepository,
  OrganizationsRepository,
  WatchIndex,
  WatchlistRepository,
} from '@corridor/persistence';
import { RetroHuntProducer } from '@corridor/queue';
import { RealtimePublisher } from '@corridor/realtime';

const usage = (message: string) => new DomainError('validation_failed', message);

export type AuditVerification =
  | { ok: true; organizations: number; records: number }
  | { ok: false; orgId: string; brokenAt: AuditBreak; records: number };

/** The operator's commands; each returns the JSON object the CLI prints. */
@Injectable()
export class CommandsService {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly index: CorrelationIndex,
    private readonly audit: AuditRepository,
    private readonly publisher: RealtimePublisher,
    private readonly watchlist: WatchlistRepository,
    private readonly watchIndex: WatchIndex,
    private readonly retroHunts: RetroHuntProducer,
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
    await this.record(organization.id, 'organization.create', { type: 'organization', id: organization.id });
    return { organization, ...(await this.issueKey(organization.id)) };
  }

  async listOrganizations() {
    return { organizations: await this.organizations.list() };
  }

  async createKey(orgId: string | undefined) {
    if (!orgId || !(await this.organizations.findById(orgId)))
      throw usage('--org must name an existing organization id');
    return this.issueKey(orgId);
  }

  async revokeKey(prefix: string | undefined) {
    const id = prefix ? apiKeyIdFromPrefix(prefix) : undefined;
    if (!id) throw usage('give the key prefix, e.g. cor_0123456789ab');
    const key = await this.organizations.findApiKey(id);
    if (!key) throw new DomainError('not_found', `no API key ${id}`);
    await this.organizations.revokeApiKey(id, new Date());
    // Sockets opened with the key close on every api instance, as when revoked through the API.
    await this.publisher.control({ type: 'disconnect-principal', principalId: id });
    await this.record(key.orgId, 'key.revoke', { type: 'api_key', id });
    return { revoked: `cor_${id}` };
  }

  /**
   * Rebuilds the correlation index (every kind) and the watch index from the store. `progress` is told
   * each phase's count so far and its expected total (the store's count when the phase began).
   */
  async reindex(progress?: (phase: 'incidents' | 'watchlist', count: number, total: number) => void) {
    const started = Date.now();
    const expectedIncidents = await this.incidents.countIndexed();
    const incidents = await this.index.rebuild(
      () => this.incidents.streamIndexed(),
      (count) => progress?.('incidents', count, expectedIncidents),
    );
    const expectedEntries = await this.watchlist.count();
    const watched = await this.watchIndex.rebuild(
      () => this.watchlist.streamIndexed(),
      (count) => progress?.('watchlist', count, expectedEntries),
    );
    return { reindexed: incidents, watched, ms: Date.now() - started };
  }

  /**
   * Adds every value of a text file (one per line, as `POST /api/v1/watchlist/import` reads it) to an
   * organization's watchlist, by the actor `system:cli`. `progress` is told the lines handled so far
   * of the file's distinct values.
   */
  async importWatchlist(
    orgId: string | undefined,
    file: string | undefined,
    progress?: (done: number, total: number) => void,
  ): Promise<WatchImportSummary & { orgId: string }> {
    if (!orgId || !(await this.organizations.findById(orgId)))
      throw usage('--org must name an existing organization id');
    if (!file) throw usage('give the file to import: watchlist import --org <id> <file>');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw usage(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const read = readWatchFile(text);
    const now = new Date();
    const entries = read.entries.map((line) => newWatchEntry(orgId, line, 'system:cli', now));
    let added = 0;
    let duplicates = read.repeated;
    progress?.(0, entries.length);
    for (let i = 0; i < entries.length; i += 500) {
      const batch = entries.slice(i, i + 500);
      const stored = await this.watchlist.insert(batch);
      await this.watchIndex.add(batch);
      added += stored.added.length;
      duplicates += stored.duplicates.length;
      progress?.(i + batch.length, entries.length);
    }
    // Each value is also looked up among the incidents already processed, by the worker.
    await this.retroHunts.enqueue(entries.map((entry) => entry.id));
    if (added > 0) {
      await this.audit.append({
        orgId,
        actor: { type: 'system', id: 'cli', orgId: null },
        action: 'watchlist.add',
        target: { type: 'watchlist', id: orgId },
        outcome: 'success',
        details: { added, duplicates },
        at: new Date(),
      });
    }
    const rejected = read.rejected.map(({ line, value, reason, message }) => ({ line, value, reason, message }));
    return { orgId, added, duplicates, rejected };
  }

  /**
   * Verifies every organization's audit chain (or one), in sorted order, and stops at the first broken
   * link; `records` then counts that organization's intact records before it. Streams each chain, so
   * a long trail is never held in memory.
   */
  async verifyAudit(orgId: string | undefined): Promise<AuditVerification> {
    if (orgId !== undefined && orgId.trim() === '') throw usage('--org must name an organization id');
    const orgIds = orgId === undefined ? await this.audit.organizationIds() : [orgId];
    let organizations = 0;
    let records = 0;
    for (const id of orgIds) {
      const verifier = new AuditChainVerifier(id);
      for await (const record of this.audit.streamOrganization(id)) if (verifier.push(record)) break;
      const verdict = verifier.verdict;
      if (!verdict.ok) return { ok: false, orgId: id, brokenAt: verdict.brokenAt, records: verdict.records };
      // An organization named with --org but without records was not verified: it is not counted.
      if (verdict.records > 0) organizations++;
      records += verdict.records;
    }
    return { ok: true, organizations, records };
  }

  /** The key is shown once, here; only its hash is stored. CLI keys get the default (all) API key scopes. */
  private async issueKey(orgId: string) {
    const { apiKey, apiKeyPrefix, key } = await this.organizations.issueApiKey(orgId, { name: 'cli' });
    await this.record(orgId, 'key.create', { type: 'api_key', id: key.id });
    return { apiKey, apiKeyPrefix };
  }

  /** Operator actions go into the organization's audit trail, by the actor `system:cli`. */
  private async record(orgId: string, action: string, target: { type: string; id: string }): Promise<void> {
    await this.audit.append({
      orgId,
      actor: { type: 'system', id: 'cli', orgId: null },
      action,
      target,
      outcome: 'success',
      at: new Date(),
    });
  }
}
