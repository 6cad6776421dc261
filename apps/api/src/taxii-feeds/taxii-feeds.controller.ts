import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
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
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { CreateTaxiiFeedDto, TaxiiFeedDto, UpdateTaxiiFeedDto } from './dto/taxii-feeds.dto';
import { TaxiiFeeds } from './usecases/taxii-feeds.service';

/**
 * The organization's TAXII 2.1 feeds: partners' collections the worker pulls into its incidents on a
 * schedule. All need `feeds:manage` (org-admins). Credentials are write-only.
 */
@ApiTags('taxii-feeds')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@RequireScopes('feeds:manage')
@ApiForbiddenResponse({ description: 'The credential lacks feeds:manage.' })
@Controller('api/v1/taxii-feeds')
export class TaxiiFeedsController {
  constructor(private readonly feeds: TaxiiFeeds) {}

  @Post()
  @ApiOperation({ summary: 'Register a feed (scheduled at once when enabled); credentials are never returned' })
  @ApiCreatedResponse({ type: TaxiiFeedDto })
  @ApiBadRequestResponse({ description: 'A bad field, named in `error.details.fields`.' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateTaxiiFeedDto): Promise<TaxiiFeedDto> {
    return this.feeds.create(principal, body);
  }

  @Get()
  @ApiOperation({ summary: 'The organization’s feeds, newest first, with cursor and last run' })
  @ApiOkResponse({ type: [TaxiiFeedDto] })
  list(@CurrentPrincipal() principal: Principal): Promise<TaxiiFeedDto[]> {
    return this.feeds.list(principal);
  }

  @Get(':id')
  @ApiOkResponse({ type: TaxiiFeedDto })
  @ApiNotFoundResponse({ description: 'No such feed in the caller’s organization.' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TaxiiFeedDto> {
    return this.feeds.get(principal, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a feed; a new apiRoot or collectionId resets its cursor; disabling unschedules it' })
  @ApiOkResponse({ type: TaxiiFeedDto })
  @ApiBadRequestResponse({ description: 'A bad field, named in `error.details.fields`.' })
  @ApiNotFoundResponse({ description: 'No such feed in the caller’s organization.' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateTaxiiFeedDto,
  ): Promise<TaxiiFeedDto> {
    return this.feeds.update(principal, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a feed and its schedule (incidents already pulled stay)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such feed in the caller’s organization.' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.feeds.remove(principal, id);
  }

  @Post(':id/pull')
  @HttpCode(202)
  @ApiOperation({ summary: 'Pull the feed now (one pull at a time per feed)' })
  @ApiAcceptedResponse({ description: '`{queued: true}`' })
  @ApiNotFoundResponse({ description: 'No such feed in the caller’s organization.' })
  @ApiConflictResponse({ description: 'The feed is disabled.' })
  pull(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<{ queued: true }> {
    return this.feeds.pullNow(principal, id);
  }
}
