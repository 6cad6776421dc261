import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { IsEmail, IsString, Length } from 'class-validator';
import type { Request } from 'express';
import { MIN_PASSWORD_LENGTH, type Principal } from '@corridor/domain';
import { AuthGuard, CurrentPrincipal } from './auth.guard';
import { LoginService } from './login.service';
import { SetupService } from './setup.service';

class LoginDto {
  @ApiProperty({ example: 'analyst@cert.example.com' })
  @IsEmail()
  @Length(3, 254)
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @Length(1, 1024)
  password!: string;
}

class SetupDto {
  @ApiProperty({ description: 'The one-time setup token (cst_…) given when the account was created.' })
  @IsString()
  @Length(1, 200)
  token!: string;

  @ApiProperty({ description: `The new password: at least ${MIN_PASSWORD_LENGTH} characters.` })
  @IsString()
  @Length(MIN_PASSWORD_LENGTH, 1024)
  password!: string;
}

class RefreshDto {
  @ApiProperty({ description: 'The refresh token from login or the previous refresh.' })
  @IsString()
  @Length(1, 200)
  refreshToken!: string;
}

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly logins: LoginService,
    private readonly setups: SetupService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Email + password → short-lived access token and a rotating refresh token' })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password (the same answer for both).' })
  @ApiTooManyRequestsResponse({ description: 'Locked after repeated failures; see Retry-After.' })
  login(@Body() dto: LoginDto, @Req() request: Request) {
    return this.logins.login(dto.email, dto.password, request.ip ?? request.socket.remoteAddress ?? 'unknown');
  }

  @Post('setup')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set your own password with the one-time setup token your account was created with (72 h, once)',
  })
  @ApiBadRequestResponse({ description: 'Unknown, expired or used token (the same answer for all), or a bad body.' })
  @ApiTooManyRequestsResponse({ description: 'Locked after repeated refused tokens; see Retry-After.' })
  setup(@Body() dto: SetupDto, @Req() request: Request) {
    return this.setups.complete(dto.token, dto.password, request.ip ?? request.socket.remoteAddress ?? 'unknown');
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token (usable once) for a new pair; reuse revokes the session' })
  refresh(@Body() dto: RefreshDto) {
    return this.logins.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session: its refresh and access tokens stop working at once' })
  async logout(@Body() dto: RefreshDto): Promise<void> {
    await this.logins.logout(dto.refreshToken);
  }

  @Get('me')
  @UseGuards(AuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The authenticated principal: kind, id, organization, roles and scopes' })
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}
