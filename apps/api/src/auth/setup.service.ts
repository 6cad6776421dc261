import { Inject, Injectable } from '@nestjs/common';
import { DomainError, hashPassword, setupTokenUserId, setupTokenValid, type User } from '@corridor/domain';
import { UsersRepository, publicUser, type StoredUser } from '@corridor/persistence';
import { AuditService } from '../audit/audit.service';
import { RATE_LIMITS, rateLimited, type RateLimits } from './rate-limits';

/** One answer for an unknown, malformed, expired or already used token: nothing to tell them apart. */
const refused = () =>
  new DomainError('validation_failed', 'request is invalid', {
    fields: [{ field: 'token', message: 'is not a valid setup token: unknown, expired or already used' }],
  });

/**
 * A person sets their own password with the one-time setup token their account was created with.
 * Refusals are counted per client address like failed logins; past the limit the address is locked
 * for the lockout period, even for a good token (429 with Retry-After). A success clears the count.
 */
@Injectable()
export class SetupService {
  constructor(
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
  ) {}

  async complete(token: string, password: string, address: string): Promise<{ user: User }> {
    const limiter = this.limits.setupAddress;
    const state = await limiter.get(address);
    if (state && state.consumedPoints >= limiter.points) rateLimited(state, 'too many refused setup tokens');

    const userId = setupTokenUserId(token);
    const account = userId ? await this.users.findById(userId) : undefined;
    const usable = (user: StoredUser) => !user.disabledAt && setupTokenValid(token, user.setup, new Date());
    // The token is checked before the (slow) password hash, and again at the write, under the account's lock.
    const done =
      account && usable(account)
        ? await this.users.completeSetup(account.id, usable, await hashPassword(password))
        : undefined;
    if (!done) {
      const penalty = await limiter.penalty(address);
      if (penalty.consumedPoints >= limiter.points) await limiter.block(address, limiter.blockDuration);
      if (account) await this.record(account, 'failure');
      throw refused();
    }
    await limiter.delete(address);
    await this.record(done, 'success');
    return { user: publicUser(done) };
  }

  private async record(user: StoredUser, outcome: 'success' | 'failure'): Promise<void> {
    await this.audit.record(
      { kind: 'user', id: user.id, orgId: user.orgId },
      { action: 'user.setup', target: { type: 'user', id: user.id }, outcome },
    );
  }
}
