import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { DisclosurePolicy, Principal } from '@corridor/domain';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { DisclosurePolicyDto, DisclosurePolicyResponseDto } from './dto/disclosure-policy.dto';
import { GetDisclosurePolicy } from './usecases/get-disclosure-policy.service';
import { UpdateDisclosurePolicy } from './usecases/update-disclosure-policy.service';

@ApiTags('disclosure')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing, malformed, expired or revoked credentials.' })
@UseGuards(AuthGuard)
@Controller('api/v1/organizations/me/disclosure')
export class DisclosureController {
  constructor(
    private readonly getPolicy: GetDisclosurePolicy,
    private readonly updatePolicy: UpdateDisclosurePolicy,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'What your organization discloses of matches with its incidents to partners that may not see them',
  })
  @ApiOkResponse({ type: DisclosurePolicyResponseDto })
  get(@CurrentPrincipal() principal: Principal): Promise<DisclosurePolicy> {
    return this.getPolicy.execute(principal);
  }

  @Put()
  @RequireScopes('sharing:manage')
  @ApiOperation({ summary: 'Replace the disclosure policy (org-admins); levels left out use the defaults' })
  @ApiOkResponse({ type: DisclosurePolicyResponseDto, description: 'The policy now in force.' })
  @ApiBadRequestResponse({ description: 'A level is not nothing, anonymous or named, or a key is no TLP level.' })
  @ApiForbiddenResponse({ description: 'The credential lacks sharing:manage.' })
  put(@CurrentPrincipal() principal: Principal, @Body() dto: DisclosurePolicyDto): Promise<DisclosurePolicy> {
    return this.updatePolicy.execute(principal, { ...dto });
  }
}
