import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@corridor/domain';
import { AuthGuard, CurrentPrincipal } from '../auth/auth.guard';
import type { OverrideView, PolicyView, ScheduleView } from './access';
import {
  OnCallNowPageDto,
  OnCallNowQuery,
  OverrideDto,
  OverrideInputDto,
  PolicyDto,
  PolicyInputDto,
  ScheduleDto,
  ScheduleInputDto,
} from './dto/oncall.dto';
import { OnCallNowService, type OnCallNow } from './usecases/on-call-now.service';
import { PoliciesService } from './usecases/policies.service';
import { SchedulesService } from './usecases/schedules.service';

const WRITE = 'Org-admins only (`oncall:manage`): 403 for other people and API keys.';
const READ = 'Any person of the organization; API keys: 403.';

/**
 * On-call schedules (rotations with handovers in an IANA zone, overrides), escalation policies and who
 * is on call. Another organization's schedule or policy answers 404, as a missing one.
 */
@ApiTags('oncall')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1/oncall')
export class OnCallController {
  constructor(
    private readonly schedules: SchedulesService,
    private readonly policies: PoliciesService,
    private readonly now: OnCallNowService,
  ) {}

  @Get('now')
  @ApiOperation({
    summary: 'Who is on call in each of the organization’s schedules, now or at `at`',
    description: READ,
  })
  @ApiOkResponse({ type: OnCallNowPageDto })
  @ApiBadRequestResponse({ description: 'A bad `at`.' })
  onCallNow(@CurrentPrincipal() principal: Principal, @Query() query: OnCallNowQuery): Promise<OnCallNow> {
    return this.now.execute(principal, query.at ? new Date(query.at) : undefined);
  }

  @Post('schedules')
  @ApiOperation({ summary: 'Create a schedule', description: WRITE })
  @ApiCreatedResponse({ type: ScheduleDto })
  @ApiBadRequestResponse({
    description: 'A bad field (unknown zone, bad HH:mm, a user not of the organization…), named.',
  })
  @ApiForbiddenResponse({ description: WRITE })
  createSchedule(@CurrentPrincipal() principal: Principal, @Body() body: ScheduleInputDto): Promise<ScheduleView> {
    return this.schedules.create(principal, body);
  }

  @Get('schedules')
  @ApiOperation({ summary: 'The organization’s schedules, oldest first', description: READ })
  @ApiOkResponse({ type: [ScheduleDto] })
  listSchedules(@CurrentPrincipal() principal: Principal): Promise<ScheduleView[]> {
    return this.schedules.list(principal);
  }

  @Get('schedules/:id')
  @ApiOperation({ summary: 'One schedule', description: READ })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiNotFoundResponse({ description: 'No such schedule in the caller’s organization.' })
  getSchedule(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ScheduleView> {
    return this.schedules.get(principal, id);
  }

  @Put('schedules/:id')
  @ApiOperation({ summary: 'Replace a schedule’s name, zone and rotations (overrides stay)', description: WRITE })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiBadRequestResponse({ description: 'A bad field, named.' })
  @ApiNotFoundResponse({ description: 'No such schedule in the caller’s organization.' })
  @ApiConflictResponse({ description: '`version` given and the schedule changed since.' })
  updateSchedule(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: ScheduleInputDto,
  ): Promise<ScheduleView> {
    return this.schedules.update(principal, id, body);
  }

  @Delete('schedules/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a schedule', description: WRITE })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such schedule in the caller’s organization.' })
  @ApiConflictResponse({ description: 'An escalation policy pages the schedule.' })
  async deleteSchedule(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.schedules.remove(principal, id);
  }

  @Post('schedules/:id/overrides')
  @ApiOperation({ summary: 'Put someone on call in place of the rotations from `from` to `to`', description: WRITE })
  @ApiCreatedResponse({ type: OverrideDto })
  @ApiBadRequestResponse({ description: 'A bad field (to not after from, a user not of the organization…), named.' })
  @ApiNotFoundResponse({ description: 'No such schedule in the caller’s organization.' })
  addOverride(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: OverrideInputDto,
  ): Promise<OverrideView> {
    return this.schedules.addOverride(principal, id, body);
  }

  @Delete('schedules/:id/overrides/:overrideId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an override', description: WRITE })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such schedule or override.' })
  async removeOverride(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('overrideId') overrideId: string,
  ): Promise<void> {
    await this.schedules.removeOverride(principal, id, overrideId);
  }

  @Post('policies')
  @ApiOperation({ summary: 'Create an escalation policy', description: WRITE })
  @ApiCreatedResponse({ type: PolicyDto })
  @ApiBadRequestResponse({ description: 'A bad field (a schedule or user not of the organization…), named.' })
  @ApiForbiddenResponse({ description: WRITE })
  createPolicy(@CurrentPrincipal() principal: Principal, @Body() body: PolicyInputDto): Promise<PolicyView> {
    return this.policies.create(principal, body);
  }

  @Get('policies')
  @ApiOperation({ summary: 'The organization’s escalation policies, oldest first', description: READ })
  @ApiOkResponse({ type: [PolicyDto] })
  listPolicies(@CurrentPrincipal() principal: Principal): Promise<PolicyView[]> {
    return this.policies.list(principal);
  }

  @Get('policies/:id')
  @ApiOperation({ summary: 'One escalation policy', description: READ })
  @ApiOkResponse({ type: PolicyDto })
  @ApiNotFoundResponse({ description: 'No such policy in the caller’s organization.' })
  getPolicy(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<PolicyView> {
    return this.policies.get(principal, id);
  }

  @Put('policies/:id')
  @ApiOperation({ summary: 'Replace an escalation policy', description: WRITE })
  @ApiOkResponse({ type: PolicyDto })
  @ApiBadRequestResponse({ description: 'A bad field, named.' })
  @ApiNotFoundResponse({ description: 'No such policy in the caller’s organization.' })
  @ApiConflictResponse({ description: '`version` given and the policy changed since.' })
  updatePolicy(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: PolicyInputDto,
  ): Promise<PolicyView> {
    return this.policies.update(principal, id, body);
  }

  @Delete('policies/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an escalation policy', description: WRITE })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such policy in the caller’s organization.' })
  async deletePolicy(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.policies.remove(principal, id);
  }
}
