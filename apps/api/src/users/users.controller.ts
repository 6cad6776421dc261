import { Body, Controller, Get, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsEmail, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { v7 as uuidv7 } from 'uuid';
import {
  DomainError,
  MIN_PASSWORD_LENGTH,
  ROLES,
  hasScope,
  hashPassword,
  type Principal,
  type Role,
  type User,
} from '@corridor/domain';
import { OrganizationsRepository, UsersRepository } from '@corridor/persistence';
import { AuditService } from '../audit/audit.service';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';

class CreateUserDto {
  @ApiProperty({ example: 'analyst@cert.example.com' })
  @IsEmail()
  @Length(3, 254)
  email!: string;

  @ApiProperty({ example: 'Amina Khan' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['analyst'] })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(ROLES, { each: true })
  roles!: Role[];

  @ApiProperty({ description: `At least ${MIN_PASSWORD_LENGTH} characters; stored as an argon2id hash.` })
  @IsString()
  @Length(MIN_PASSWORD_LENGTH, 1024)
  password!: string;

  @ApiPropertyOptional({ description: 'Platform-admins only: the organization of the new user.' })
  @IsOptional()
  @IsString()
  orgId?: string;
}

const forbidden = (message: string) => new DomainError('forbidden', message);

@ApiTags('users')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * Org-admins create people of their own organization (never platform-admins); platform-admins may
   * create them in any organization, e.g. its first org-admin.
   */
  @Post()
  @ApiOperation({ summary: 'Create a user (org-admins: own organization; platform-admins: any)' })
  async create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateUserDto): Promise<User> {
    const platform = hasScope(principal, 'organizations:manage');
    const orgId = dto.orgId ?? principal.orgId;
    if (!platform && !hasScope(principal, 'users:manage'))
      throw forbidden('this credential lacks the scope users:manage');
    if (!platform && orgId !== principal.orgId) throw forbidden('users can only be created in your own organization');
    if (!platform && dto.roles.includes('platform-admin')) throw forbidden('only platform-admins grant platform-admin');
    if (!(await this.organizations.findById(orgId))) {
      throw new DomainError('validation_failed', 'request is invalid', {
        fields: [{ field: 'orgId', message: 'no such organization' }],
      });
    }
    const user = await this.users.create({
      id: uuidv7(),
      orgId,
      email: dto.email.toLowerCase(),
      name: dto.name,
      roles: [...new Set(dto.roles)],
      passwordHash: await hashPassword(dto.password),
      createdAt: new Date(),
      disabledAt: null,
    });
    await this.audit.record(principal, {
      action: 'user.create',
      orgId,
      target: { type: 'user', id: user.id },
      details: { roles: user.roles.join(',') },
    });
    return user;
  }

  @Get()
  @RequireScopes('users:manage')
  @ApiOperation({ summary: 'The people of the caller’s organization' })
  list(@CurrentPrincipal() principal: Principal): Promise<User[]> {
    return this.users.listByOrganization(principal.orgId);
  }
}
