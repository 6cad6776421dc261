import { createParamDecorator, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError, hasScope, type Principal, type Scope } from '@corridor/domain';
import { AuthenticationService } from './authentication.service';

type AuthedRequest = Request & { principal?: Principal };

const SCOPES_KEY = 'corridor:scopes';

/** The scopes a route needs (all of them). */
export const RequireScopes = (...scopes: Scope[]) => SetMetadata(SCOPES_KEY, scopes);

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** Authenticates every request (API key or access token) and checks the route's scopes. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly authentication: AuthenticationService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const principal = await this.authentication.authenticate(bearerToken(request.headers.authorization));
    request.principal = principal;
    const needed =
      this.reflector.getAllAndOverride<Scope[] | undefined>(SCOPES_KEY, [context.getHandler(), context.getClass()]) ??
      [];
    const missing = needed.filter((scope) => !hasScope(principal, scope));
    if (missing.length > 0) throw new DomainError('forbidden', `this credential lacks the scope ${missing.join(', ')}`);
    return true;
  }
}

/** The authenticated caller; only on routes behind AuthGuard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without AuthGuard');
  return principal;
});
