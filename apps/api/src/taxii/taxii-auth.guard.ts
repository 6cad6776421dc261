import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError, TAXII_MEDIA_TYPE, acceptsTaxii, type Principal } from '@corridor/domain';
import { AuthenticationService } from '../auth/authentication.service';
import { bearerToken } from '../auth/auth.guard';
import { TaxiiHttpError } from './taxii-http';

type AuthedRequest = Request & { principal?: Principal };

/**
 * The API key of an `Authorization: Basic` header: the password (the user name is free, TAXII
 * clients need one), or the user name when the password is empty. Undefined for other schemes.
 */
export function basicCredential(header: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return password !== '' ? password : user !== '' ? user : undefined;
}

/**
 * TAXII callers authenticate with an API key (or an access token) as the HTTP Basic password or as
 * a Bearer token; then their `Accept` must allow the TAXII media type (406 otherwise, TAXII 2.1 §1.6.8).
 */
@Injectable()
export class TaxiiAuthGuard implements CanActivate {
  constructor(private readonly authentication: AuthenticationService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers.authorization;
    const credential = basicCredential(header) ?? bearerToken(header);
    if (!credential)
      throw new DomainError(
        'unauthorized',
        'credentials are required: an API key as the Basic password or Bearer token',
      );
    request.principal = await this.authentication.authenticate(credential);
    if (!acceptsTaxii(request.headers.accept))
      throw new TaxiiHttpError(406, 'Not acceptable', `the response media type is ${TAXII_MEDIA_TYPE}`);
    return true;
  }
}
