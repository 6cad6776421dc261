import { Inject, Injectable } from '@nestjs/common';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { DomainError, hashPassword, verifyPassword, type User } from '@corridor/domain';
import { UsersRepository, publicUser } from '@corridor/persistence';
import { AuditService } from '../audit/audit.service';
import { RoomsService } from '../realtime/rooms.service';
import { RATE_LIMITS, rateLimited, type RateLimits } from './rate-limits';
import { TokenService, type TokenPair } from './token.service';

const WRONG = 'email or password is wrong';

/** A hash of a random password, verified when the email is unknown so both cases take as long. */
let decoy: Promise<string> | undefined;

/**
 * Password login with back-off: failures are counted per (email, client address) and per email; past
 * the limit the pair (or email) is locked for the lockout period — even the right password gets 429
 * with Retry-After until it ends. A success clears the counters.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly rooms: RoomsService,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
  ) {}

  async login(email: string, password: string, address: string): Promise<TokenPair & { user: User }> {
    const normalized = email.trim().toLowerCase();
    const pairKey = `${normalized}|${address}`;
    await this.ensureNotLocked(pairKey, normalized);
    const user = await this.users.findByEmail(normalized);
    decoy ??= hashPassword(`decoy-${Math.random()}`);
    // An account whose person has not set a password yet (setup pending) cannot log in.
    const valid =
      user && !user.disabledAt && user.passwordHash
        ? await verifyPassword(user.passwordHash, password)
        : (await verifyPassword(await decoy, password), false);
    if (!user || !valid) {
      await Promise.all([
        this.countFailure(this.limits.loginPair, pairKey),
        this.countFailure(this.limits.loginEmail, normalized),
      ]);
      if (user) {
        await this.audit.record(
          { kind: 'user', id: user.id, orgId: user.orgId },
          { action: 'auth.login', target: { type: 'user', id: user.id }, outcome: 'failure' },
        );
      }
      throw new DomainError('unauthorized', WRONG);
    }
    await Promise.all([this.limits.loginPair.delete(pairKey), this.limits.loginEmail.delete(normalized)]);
    const pair = await this.tokens.issue(user);
    await this.audit.record(
      { kind: 'user', id: user.id, orgId: user.orgId },
      { action: 'auth.login', target: { type: 'user', id: user.id } },
    );
    return { ...pair, user: publicUser(user) };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const { userId, familyId } = await this.tokens.rotate(refreshToken);
    const user = await this.users.findById(userId);
    if (!user || user.disabledAt) throw new DomainError('unauthorized', 'the token is not valid');
    return this.tokens.issue(user, familyId);
  }

  async logout(refreshToken: string): Promise<void> {
    const ended = await this.tokens.logout(refreshToken);
    if (ended) await this.rooms.disconnectSession(ended.sessionId);
    const user = ended ? await this.users.findById(ended.userId) : undefined;
    if (user) {
      await this.audit.record(
        { kind: 'user', id: user.id, orgId: user.orgId },
        { action: 'auth.logout', target: { type: 'user', id: user.id } },
      );
    }
  }

  /** Counts a failure; reaching the limit locks the key for the whole lockout period from now. */
  private async countFailure(limiter: RateLimiterRedis, key: string): Promise<void> {
    const state = await limiter.penalty(key);
    if (state.consumedPoints >= limiter.points) await limiter.block(key, limiter.blockDuration);
  }

  private async ensureNotLocked(pairKey: string, email: string): Promise<void> {
    for (const [limiter, key] of [
      [this.limits.loginPair, pairKey],
      [this.limits.loginEmail, email],
    ] as const) {
      const state = await limiter.get(key);
      if (state && state.consumedPoints >= limiter.points) rateLimited(state, 'too many failed logins');
    }
  }
}
