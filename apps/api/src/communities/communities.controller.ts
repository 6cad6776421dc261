import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { v7 as uuidv7 } from 'uuid';
import { DomainError, hasScope, notFound, type Community, type Principal } from '@corridor/domain';
import { CommunitiesRepository, OrganizationsRepository, SharingDirectory } from '@corridor/persistence';
import { AuditService } from '../audit/audit.service';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { RoomsService } from '../realtime/rooms.service';

class CreateCommunityDto {
  @ApiProperty({ example: 'PK–SA digital corridor' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

class MembershipDto {
  @ApiPropertyOptional({ default: false, description: 'Appear as "a partner CERT/agency" to the other members.' })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
}

/**
 * Communities decide GREEN: the members of every community the submitter belongs to. Platform-admins
 * create them and manage members; an org-admin may change its own organization's anonymity or leave.
 */
@ApiTags('communities')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1/communities')
export class CommunitiesController {
  constructor(
    private readonly communities: CommunitiesRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly sharing: SharingDirectory,
    private readonly audit: AuditService,
    private readonly rooms: RoomsService,
  ) {}

  @Post()
  @RequireScopes('organizations:manage')
  @ApiOperation({ summary: 'Create a community (platform-admins)' })
  async create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateCommunityDto): Promise<Community> {
    const community = await this.communities.create({
      id: uuidv7(),
      name: dto.name,
      members: [],
      createdAt: new Date(),
    });
    await this.audit.record(principal, { action: 'community.create', target: { type: 'community', id: community.id } });
    return community;
  }

  @Get()
  @ApiOperation({
    summary: 'Communities of the caller’s organization (platform-admins: all), members as the caller may know them',
  })
  async list(@CurrentPrincipal() principal: Principal) {
    const sharing = await this.sharing.context();
    const all = await this.communities.all();
    const visible = hasScope(principal, 'organizations:manage')
      ? all
      : all.filter((c) => c.members.some((m) => m.orgId === principal.orgId));
    const orgs = await this.organizations.findByIds(visible.flatMap((c) => c.members.map((m) => m.orgId)));
    return visible.map((community) => ({
      id: community.id,
      name: community.name,
      members: community.members.map((member) => {
        const org = orgs.get(member.orgId);
        const shown = org ? sharing.display(org, principal.orgId) : { id: member.orgId, name: 'unknown organization' };
        return { organization: shown, anonymous: member.orgId === principal.orgId ? member.anonymous : undefined };
      }),
    }));
  }

  @Put(':id/members/:orgId')
  @RequireScopes('communities:manage')
  @ApiOperation({ summary: 'Add a member or change its anonymity (org-admins: own organization, already a member)' })
  async setMember(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('orgId') orgId: string,
    @Body() dto: MembershipDto,
  ): Promise<Community> {
    const community = await this.communities.findById(id);
    if (!community) throw notFound('community');
    const platform = hasScope(principal, 'organizations:manage');
    if (!platform && (orgId !== principal.orgId || !community.members.some((m) => m.orgId === orgId))) {
      throw new DomainError('forbidden', 'only platform-admins add organizations to a community');
    }
    if (!(await this.organizations.findById(orgId))) throw notFound('organization');
    await this.communities.setMember(id, orgId, dto.anonymous ?? false);
    await this.rooms.revalidate();
    await this.audit.record(principal, {
      action: 'community.member_set',
      target: { type: 'community', id },
      details: { orgId, anonymous: dto.anonymous ?? false },
    });
    return (await this.communities.findById(id)) ?? community;
  }

  @Delete(':id/members/:orgId')
  @HttpCode(204)
  @RequireScopes('communities:manage')
  @ApiOperation({ summary: 'Remove a member (org-admins: leave with their own organization)' })
  async removeMember(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('orgId') orgId: string,
  ): Promise<void> {
    if (!hasScope(principal, 'organizations:manage') && orgId !== principal.orgId) {
      throw new DomainError('forbidden', 'org-admins may only remove their own organization');
    }
    if (!(await this.communities.removeMember(id, orgId))) throw notFound('community');
    await this.rooms.revalidate();
    await this.audit.record(principal, {
      action: 'community.member_remove',
      target: { type: 'community', id },
      details: { orgId },
    });
  }
}
