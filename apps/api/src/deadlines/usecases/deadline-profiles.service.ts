import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  BUILT_IN_DEADLINE_PROFILES,
  DomainError,
  notFound,
  validateDeadlineProfile,
  type DeadlineProfile,
  type Principal,
} from '@corridor/domain';
import { DeadlineProfilesRepository, DocumentLocks } from '@corridor/persistence';
import { AuditService } from '../../audit/audit.service';
import { requireOnCallManager } from '../../oncall/access';
import { builtInProfile, invalid, profileView, type DeadlineProfileView } from '../access';
import type { DeadlineProfileInputDto } from '../dto/deadlines.dto';

const duplicateName = () => invalid([{ field: 'name', message: 'another profile of the organization has this name' }]);
const readOnly = () => new DomainError('forbidden', 'a built-in deadline profile cannot be changed');

/**
 * Deadline profiles as an organization sees them: the built-in ones (NIS2, read-only) and its own,
 * which its org-admins (`oncall:manage`) add, replace and remove. Every check of
 * `validateDeadlineProfile` answers 400 naming the field. Audited as `deadline-profile.*`.
 */
@Injectable()
export class DeadlineProfilesService {
  constructor(
    private readonly profiles: DeadlineProfilesRepository,
    private readonly locks: DocumentLocks,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal): Promise<DeadlineProfileView[]> {
    const own = await this.profiles.listByOrg(principal.orgId);
    return [...BUILT_IN_DEADLINE_PROFILES.map(profileView), ...own.map(profileView)];
  }

  async get(principal: Principal, id: string): Promise<DeadlineProfileView> {
    return profileView(await this.find(principal.orgId, id));
  }

  /** A built-in profile or one of the organization's own; 404 otherwise (another's reads as missing). */
  async find(orgId: string, id: string): Promise<DeadlineProfile> {
    const profile = builtInProfile(id) ?? (await this.profiles.findById(orgId, id));
    if (!profile) throw notFound('deadline profile');
    return profile;
  }

  async create(principal: Principal, body: DeadlineProfileInputDto): Promise<DeadlineProfileView> {
    requireOnCallManager(principal);
    const input = checked(body);
    const now = new Date();
    const profile = {
      id: uuidv7(),
      orgId: principal.orgId,
      ...input,
      version: 1,
      createdBy: principal.id,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.profiles.insert(profile))) throw duplicateName();
    await this.audit.record(principal, {
      action: 'deadline-profile.create',
      target: { type: 'deadline-profile', id: profile.id },
      details: { name: profile.name },
    });
    return profileView(profile);
  }

  async update(principal: Principal, id: string, body: DeadlineProfileInputDto): Promise<DeadlineProfileView> {
    requireOnCallManager(principal);
    if (builtInProfile(id)) throw readOnly();
    const input = checked(body);
    const updated = await this.locks.withLock('deadline-profiles', id, () =>
      this.profiles.replace(principal.orgId, id, input, new Date()),
    );
    if (updated === 'duplicate') throw duplicateName();
    if (!updated) throw notFound('deadline profile');
    await this.audit.record(principal, {
      action: 'deadline-profile.update',
      target: { type: 'deadline-profile', id },
      details: { name: updated.name, version: updated.version },
    });
    return profileView(updated);
  }

  /** Incidents already under the profile keep their copy of it (see `IncidentDeadlines.profile`). */
  async remove(principal: Principal, id: string): Promise<void> {
    requireOnCallManager(principal);
    if (builtInProfile(id)) throw readOnly();
    const removed = await this.locks.withLock('deadline-profiles', id, () => this.profiles.remove(principal.orgId, id));
    if (!removed) throw notFound('deadline profile');
    await this.audit.record(principal, { action: 'deadline-profile.delete', target: { type: 'deadline-profile', id } });
  }
}

/** The body as a profile's name and milestones, checked by `validateDeadlineProfile` (400 naming the field). */
export function checked(body: DeadlineProfileInputDto): Pick<DeadlineProfile, 'name' | 'milestones'> {
  const input: Pick<DeadlineProfile, 'name' | 'milestones'> = {
    name: body.name.trim(),
    milestones: body.milestones.map((m) => {
      const offset = Object.fromEntries(
        Object.entries(m.due.offset).filter(([, value]) => value !== undefined),
      ) as DeadlineProfile['milestones'][number]['due']['offset'];
      return {
        key: m.key,
        label: m.label.trim(),
        due: { from: m.due.from, offset, ...(m.due.basis ? { basis: m.due.basis } : {}) },
      };
    }),
  };
  const errors = validateDeadlineProfile(input);
  if (errors.length > 0) throw invalid(errors);
  return input;
}
