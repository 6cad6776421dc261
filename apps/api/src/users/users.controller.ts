import { Body, Controller, Get, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@corridor/domain';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { CreateUserDto, CreatedUserDto, UpdateOwnUserDto, UserDto } from './dto/create-user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /**
   * Org-admins create people of their own organization. Platform-admins create only a new
   * organization's first org-admin, without a password: that person sets it with the setup token.
   */
  @Post()
  @ApiOperation({
    summary: 'Create a person (org-admins: own organization; platform-admins: a new organization’s first org-admin)',
  })
  @ApiCreatedResponse({ type: CreatedUserDto })
  async create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateUserDto): Promise<CreatedUserDto> {
    const { user, setup } = await this.users.create(principal, dto);
    return setup ? { ...user, setupToken: setup.token, setupTokenExpiresAt: setup.expiresAt } : user;
  }

  @Patch('me')
  @ApiOperation({ summary: 'Change your own account: the language Corridor writes to you in (en, ar, ur)' })
  @ApiOkResponse({ type: UserDto })
  updateOwn(@CurrentPrincipal() principal: Principal, @Body() dto: UpdateOwnUserDto): Promise<UserDto> {
    return this.users.setOwnLanguage(principal, dto.language);
  }

  @Get()
  @RequireScopes('users:manage')
  @ApiOperation({ summary: 'The people of the caller’s organization' })
  @ApiOkResponse({ type: [UserDto] })
  list(@CurrentPrincipal() principal: Principal): Promise<UserDto[]> {
    return this.users.list(principal);
  }
}
