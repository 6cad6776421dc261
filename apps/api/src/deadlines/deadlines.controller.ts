import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@corridor/domain';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import type { DeadlineProfileView, IncidentDeadlinesView } from './access';
import {
  CompleteMilestoneDto,
  DeadlinePageDto,
  DeadlineProfileDto,
  DeadlineProfileInputDto,
  DeadlineProfilePageDto,
  DeadlinesQuery,
  IncidentDeadlinesDto,
  SetIncidentDeadlinesDto,
} from './dto/deadlines.dto';
import { DeadlineProfilesService } from './usecases/deadline-profiles.service';
import { IncidentDeadlinesService } from './usecases/incident-deadlines.service';
import { ListDeadlines, type DeadlineItem } from './usecases/list-deadlines.service';

const MANAGE = 'Org-admins only (`oncall:manage`): 403 for other people and API keys.';
const OWNER =
  'People of the incident’s owner organization with `incidents:write`; 404 for anyone else (as a missing incident), 403 for API keys.';

/**
 * Regulatory deadlines: profiles of milestones (NIS2 built in, the organization's own), each
 * incident's profile, awareness time and completed milestones, and the list of what is due.
 */
@ApiTags('deadlines')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1')
export class DeadlinesController {
  constructor(
    private readonly profiles: DeadlineProfilesService,
    private readonly incidentDeadlines: IncidentDeadlinesService,
    private readonly listing: ListDeadlines,
  ) {}

  @Get('deadline-profiles')
  @ApiOperation({ summary: 'The built-in profiles (NIS2) and the organization’s own, oldest first' })
  @ApiOkResponse({ type: DeadlineProfilePageDto })
  async listProfiles(@CurrentPrincipal() principal: Principal): Promise<{ items: DeadlineProfileView[] }> {
    return { items: await this.profiles.list(principal) };
  }

  @Post('deadline-profiles')
  @ApiOperation({ summary: 'Add a profile of the organization (e.g. a national 6-hour rule)', description: MANAGE })
  @ApiCreatedResponse({ type: DeadlineProfileDto })
  @ApiBadRequestResponse({ description: 'A bad field (key, reference, offset, a cycle, a name in use), named.' })
  @ApiForbiddenResponse({ description: MANAGE })
  createProfile(
    @CurrentPrincipal() principal: Principal,
    @Body() body: DeadlineProfileInputDto,
  ): Promise<DeadlineProfileView> {
    return this.profiles.create(principal, body);
  }

  @Get('deadline-profiles/:id')
  @ApiOperation({ summary: 'One profile: `nis2` or one of the organization’s own' })
  @ApiOkResponse({ type: DeadlineProfileDto })
  @ApiNotFoundResponse({ description: 'No such profile for the caller’s organization.' })
  getProfile(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<DeadlineProfileView> {
    return this.profiles.get(principal, id);
  }

  @Put('deadline-profiles/:id')
  @ApiOperation({
    summary: 'Replace a profile of the organization',
    description: `${MANAGE} Incidents already under it keep the milestones they were given; built-in profiles: 403.`,
  })
  @ApiOkResponse({ type: DeadlineProfileDto })
  @ApiBadRequestResponse({ description: 'A bad field, named.' })
  @ApiNotFoundResponse({ description: 'No such profile in the caller’s organization.' })
  updateProfile(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: DeadlineProfileInputDto,
  ): Promise<DeadlineProfileView> {
    return this.profiles.update(principal, id, body);
  }

  @Delete('deadline-profiles/:id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove a profile of the organization',
    description: `${MANAGE} Incidents already under it keep their deadlines; built-in profiles: 403.`,
  })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such profile in the caller’s organization.' })
  async deleteProfile(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.profiles.remove(principal, id);
  }

  @Get('incidents/:id/deadlines')
  @RequireScopes('incidents:read')
  @ApiOperation({ summary: 'An incident’s deadlines: each milestone’s due time and status' })
  @ApiOkResponse({ type: IncidentDeadlinesDto })
  @ApiNotFoundResponse({ description: 'No such (visible) incident, or it has no deadlines.' })
  getIncidentDeadlines(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
  ): Promise<IncidentDeadlinesView> {
    return this.incidentDeadlines.get(principal, id);
  }

  @Put('incidents/:id/deadlines')
  @RequireScopes('incidents:write')
  @ApiOperation({
    summary: 'Put the incident under a profile from when the organization became aware',
    description: `${OWNER} Reminders are rescheduled; completions carry over while the profile stays the same.`,
  })
  @ApiOkResponse({ type: IncidentDeadlinesDto })
  @ApiBadRequestResponse({ description: 'A bad `profileId` or `awareAt` (e.g. in the future), named.' })
  @ApiNotFoundResponse({ description: OWNER })
  setIncidentDeadlines(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: SetIncidentDeadlinesDto,
  ): Promise<IncidentDeadlinesView> {
    return this.incidentDeadlines.set(principal, id, body);
  }

  @Post('incidents/:id/deadlines/:milestone/complete')
  @HttpCode(200)
  @RequireScopes('incidents:write')
  @ApiOperation({
    summary: 'Mark a milestone completed (at `at`, default now); a repeat changes nothing',
    description: `${OWNER} Its reminders stop; milestones counting from its completion move.`,
  })
  @ApiOkResponse({ type: IncidentDeadlinesDto })
  @ApiBadRequestResponse({ description: 'Not a milestone of the incident’s profile, or a bad `at`, named.' })
  @ApiNotFoundResponse({ description: `${OWNER} Also when the incident has no deadlines.` })
  completeMilestone(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('milestone') milestone: string,
    @Body() body: CompleteMilestoneDto,
  ): Promise<IncidentDeadlinesView> {
    return this.incidentDeadlines.complete(principal, id, milestone, body);
  }

  @Get('deadlines')
  @RequireScopes('incidents:read')
  @ApiOperation({
    summary: 'Open milestones of the incidents the caller may see, soonest first',
    description: '`status=due-soon`: due within DEADLINE_SOON_HOURS; `overdue`: past due; none: every open one.',
  })
  @ApiOkResponse({ type: DeadlinePageDto })
  @ApiBadRequestResponse({ description: 'A bad `status`.' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: DeadlinesQuery): Promise<{ items: DeadlineItem[] }> {
    return this.listing.execute(principal, query.status);
  }
}
