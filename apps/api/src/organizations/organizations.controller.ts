import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsCalendarDateTime } from '../common/calendar-date';
import { v7 as uuidv7 } from 'uuid';
import {
  API_KEY_SCOPES,
  DomainError,
  ORGANIZATION_KINDS,
  apiKeyIdFromPrefix,
  notFound,
  type ApiKeyScope,
  type Organization,
  type Principal,
} from '@corridor/domain';
import { OrganizationsRepository, SharingDirectory } from '@corridor/persistence';
import { AuditService } from '../audit/audit.service';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { AuthenticationService } from '../auth/authentication.service';
import { RoomsService } from '../realtime/rooms.service';

class CreateOrganizationDto {
  @ApiProperty({ example: 'CERT-PK' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'PK', description: 'ISO 3166-1 alpha-2' })
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code in capitals' })
  country!: string;

  @ApiProperty({ enum: ORGANIZATION_KINDS })
  @IsIn(ORGANIZATION_KINDS)
  kind!: Organization['kind'];
}

class CreateKeyDto {
  @ApiPropertyOptional({ example: 'SOC connector' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: API_KEY_SCOPES, isArray: true, description: 'Defaults to all three.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes?: ApiKeyScope[];

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z' })
  @IsOptional()
  @IsCalendarDateTime()
  expiresAt?: string;
}

@ApiTags('organizations')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1')
export class OrganizationsController {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly authentication: AuthenticationService,
    private readonly sharing: SharingDirectory,
    private readonly audit: AuditService,
    private readonly rooms: RoomsService,
  ) {}

  @Post('organizations')
  @RequireScopes('organizations:manage')
  @ApiOperation({ summary: 'Create an organization (platform-admins)' })
  async create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateOrganizationDto): Promise<Organization> {
    const organization = await this.organizations.create({ id: uuidv7(), ...dto, createdAt: new Date() });
    await this.audit.record(principal, {
      action: 'organization.create',
      target: { type: 'organization', id: organization.id },
    });
    return organization;
  }

  @Get('organizations')
  @ApiOperation({ summary: 'Organizations the caller may name (to choose recipients); anonymised ones are left out' })
  async list(@CurrentPrincipal() principal: Principal) {
    const [all, sharing] = await Promise.all([this.organizations.list(), this.sharing.context()]);
    const everyone = principal.scopes.includes('organizations:manage');
    return all
      .filter((org) => everyone || sharing.display(org, principal.orgId).id !== null)
      .map(({ id, name, country, kind }) => ({ id, name, country, kind }));
  }

  @Post('keys')
  @RequireScopes('keys:manage')
  @ApiOperation({ summary: 'Issue an API key for the caller’s organization; the key is shown once' })
  async createKey(@CurrentPrincipal() principal: Principal, @Body() dto: CreateKeyDto) {
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (expiresAt && expiresAt <= new Date()) {
      throw new DomainError('validation_failed', 'request is invalid', {
        fields: [{ field: 'expiresAt', message: 'must be in the future' }],
      });
    }
    const issued = await this.organizations.issueApiKey(principal.orgId, {
      name: dto.name,
      scopes: dto.scopes,
      expiresAt,
      createdBy: principal.id,
    });
    await this.audit.record(principal, {
      action: 'key.create',
      target: { type: 'api_key', id: issued.key.id },
      details: { scopes: issued.key.scopes.join(',') },
    });
    return issued;
  }

  @Get('keys')
  @RequireScopes('keys:manage')
  @ApiOperation({ summary: 'The organization’s API keys with scopes, expiry, last use and request counts' })
  listKeys(@CurrentPrincipal() principal: Principal) {
    return this.keysWithUsage(principal.orgId);
  }

  /** The platform's operators see who pushes what (key metadata and counts only, never incident data). */
  @Get('organizations/:id/keys')
  @RequireScopes('organizations:manage')
  @ApiOperation({ summary: 'An organization’s API keys with last use and request counts (platform-admins)' })
  async listOrganizationKeys(@Param('id') orgId: string) {
    if (!(await this.organizations.findById(orgId))) throw notFound('organization');
    return this.keysWithUsage(orgId);
  }

  private async keysWithUsage(orgId: string) {
    const keys = await this.organizations.listApiKeys(orgId);
    const usage = await this.authentication.usageOf(keys.map((k) => k.id));
    return keys.map(({ hash: _hash, ...key }) => ({ ...key, prefix: `cor_${key.id}`, ...usage.get(key.id) }));
  }

  @Delete('keys/:id')
  @HttpCode(204)
  @RequireScopes('keys:manage')
  @ApiOperation({ summary: 'Revoke one of the organization’s keys; effective on its next request' })
  async revokeKey(@CurrentPrincipal() principal: Principal, @Param('id') prefix: string): Promise<void> {
    const id = apiKeyIdFromPrefix(prefix);
    const key = id ? await this.organizations.findApiKey(id) : undefined;
    if (!key || key.orgId !== principal.orgId) throw notFound('API key');
    await this.organizations.revokeApiKey(key.id, new Date());
    await this.rooms.disconnectPrincipal(key.id);
    await this.audit.record(principal, { action: 'key.revoke', target: { type: 'api_key', id: key.id } });
  }
}
