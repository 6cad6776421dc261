import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import { CONFIG, requireJwtSecret, type AppConfig } from '@corridor/config';
import { DomainError, hashApiKey, isRole, scopesOf, type Principal, type Role } from '@corridor/domain';
import { REDIS_CLIENT, RefreshTokensRepository } from '@corridor/persistence';
import { RoomsService } from '../realtime/rooms.service';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

interface AccessClaims {
  sub: string;
  org: string;
  roles: Role[];
  sid: string;
  exp: number;
}

const REFRESH = /^crt_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})$/;
const invalid = () => new DomainError('unauthorized', 'the token is not valid');

/**
 * Short-lived signed access tokens and rotating refresh tokens. A refresh token works once; using
 * it again (a stolen copy) revokes its whole family. Logging out revokes the family and marks the
 * session revoked in Redis so its access tokens stop working at once, not at expiry.
 */
@Injectable()
export class TokenService {
  private readonly secret: string;

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly rooms: RoomsService,
  ) {
    this.secret = requireJwtSecret(config);
  }

  async issue(user: { id: string; orgId: string; roles: Role[] }, familyId: string = randomUUID()): Promise<TokenPair> {
    const claims: Omit<AccessClaims, 'exp'> = { sub: user.id, org: user.orgId, roles: user.roles, sid: familyId };
    const accessToken = jwt.sign(claims, this.secret, {
      algorithm: 'HS256',
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      issuer: 'corridor',
    });
    const id = randomUUID();
    const refreshToken = `crt_${id}_${randomBytes(32).toString('base64url')}`;
    const now = new Date();
    await this.refreshTokens.create({
      id,
      userId: user.id,
      familyId,
      hash: hashApiKey(refreshToken),
      expiresAt: new Date(now.getTime() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
      usedAt: null,
      revokedAt: null,
      createdAt: now,
    });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS };
  }

  looksLikeAccessToken(token: string): boolean {
    return token.split('.').length === 3;
  }

  async verifyAccess(token: string): Promise<Principal> {
    let claims: AccessClaims;
    try {
      claims = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: 'corridor' }) as AccessClaims;
    } catch {
      throw invalid();
    }
    if (typeof claims.sub !== 'string' || typeof claims.org !== 'string' || !Array.isArray(claims.roles))
      throw invalid();
    if (await this.redis.exists(this.revokedKey(claims.sid))) throw invalid();
    const roles = claims.roles.filter(isRole);
    return {
      kind: 'user',
      id: claims.sub,
      orgId: claims.org,
      roles,
      scopes: scopesOf(roles),
      session: { id: claims.sid, expiresAt: new Date(claims.exp * 1000) },
    };
  }

  /** Exchanges a refresh token for a new pair; returns the user id it belonged to. */
  async rotate(refreshToken: string): Promise<{ userId: string; familyId: string }> {
    const match = REFRESH.exec(refreshToken);
    if (!match) throw invalid();
    const stored = await this.refreshTokens.findById(match[1]);
    if (!stored || stored.hash !== hashApiKey(refreshToken) || stored.revokedAt || stored.expiresAt < new Date()) {
      throw invalid();
    }
    if (!(await this.refreshTokens.markUsed(stored, new Date()))) {
      await this.revoke(stored.familyId); // replayed: someone else holds a copy
      await this.rooms.disconnectSession(stored.familyId);
      throw invalid();
    }
    return { userId: stored.userId, familyId: stored.familyId };
  }

  /** Ends a session; returns its user and session ids, or undefined for an unknown token. */
  async logout(refreshToken: string): Promise<{ userId: string; sessionId: string } | undefined> {
    const match = REFRESH.exec(refreshToken);
    const stored = match ? await this.refreshTokens.findById(match[1]) : undefined;
    if (!stored || stored.hash !== hashApiKey(refreshToken)) return undefined;
    await this.revoke(stored.familyId);
    return { userId: stored.userId, sessionId: stored.familyId };
  }

  private async revoke(familyId: string): Promise<void> {
    await this.refreshTokens.revokeFamily(familyId, new Date());
    await this.redis.set(this.revokedKey(familyId), '1', 'EX', this.config.ACCESS_TOKEN_TTL_SECONDS + 60);
  }

  private revokedKey(familyId: string): string {
    return `${this.config.REDIS_PREFIX}:revoked-session:${familyId}`;
  }
}
