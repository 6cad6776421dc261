import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, type Principal, type WatchEntryView, type WatchImportSummary } from '@corridor/domain';
import type { WatchHitPage } from '@corridor/realtime';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { PageQuery } from '../common/page.query';
import {
  CreateWatchEntryDto,
  ImportResultDto,
  WatchEntryDto,
  WatchEntryPageDto,
  WatchHitPageDto,
} from './dto/watchlist.dto';
import { AddWatchEntries } from './usecases/add-watch-entries.service';
import { ListWatchHits } from './usecases/list-watch-hits.service';
import { ListWatchlist } from './usecases/list-watchlist.service';
import { RemoveWatchEntry } from './usecases/remove-watch-entry.service';

/**
 * An organization's watched values (IPs, ranges, domains, URLs, hashes, e-mail addresses…) and where
 * they appeared. Reading needs `incidents:read`; changing the list needs `incidents:write` (analysts,
 * on-call staff and keys issued with it: the people who curate the organization's data); hits need
 * `alerts:read` and `incidents:read`, the scopes of the live `watchlist.hit`.
 */
@ApiTags('watchlist')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1/watchlist')
export class WatchlistController {
  constructor(
    private readonly list: ListWatchlist,
    private readonly add: AddWatchEntries,
    private readonly remove: RemoveWatchEntry,
    private readonly hits: ListWatchHits,
  ) {}

  @Get()
  @RequireScopes('incidents:read')
  @ApiOperation({ summary: 'The organization’s watched values, newest first' })
  @ApiOkResponse({ type: WatchEntryPageDto })
  @ApiBadRequestResponse({ description: 'A bad `limit` or `cursor`, named in `error.details.fields`.' })
  entries(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQuery,
  ): Promise<{ items: WatchEntryView[]; nextCursor: string | null }> {
    return this.list.execute(principal, query);
  }

  @Post()
  @RequireScopes('incidents:write')
  @ApiOperation({ summary: 'Watch one value (201); a value already watched answers 200 with its entry' })
  @ApiCreatedResponse({ type: WatchEntryDto })
  @ApiOkResponse({ type: WatchEntryDto, description: 'Already on the list: the entry stored first.' })
  @ApiBadRequestResponse({ description: 'A value that is no indicator or carries a credential, a bad type or note.' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateWatchEntryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WatchEntryView> {
    const { entry, created } = await this.add.one(principal, body);
    response.status(created ? 201 : 200);
    return entry;
  }

  @Post('import')
  @HttpCode(200)
  @RequireScopes('incidents:write')
  @ApiConsumes('text/plain')
  @ApiBody({
    schema: { type: 'string', example: '# one value per line\nlogin-ministry[.]com  # phishing kit\n45.9.148.0/22\n' },
  })
  @ApiOperation({
    summary:
      'Watch every value of a text file, one per line: blank lines and lines starting with # skipped, text after “ #” kept as the note',
  })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiBadRequestResponse({ description: 'A body that is not text/plain.' })
  @ApiPayloadTooLargeResponse({ description: 'A file larger than BODY_LIMIT_BYTES.' })
  import(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<WatchImportSummary> {
    if (typeof body !== 'string') {
      throw new DomainError('validation_failed', 'request is invalid', {
        fields: [{ field: 'Content-Type', message: 'must be text/plain: the file’s lines' }],
      });
    }
    return this.add.import(principal, body);
  }

  @Get('hits')
  @RequireScopes('alerts:read', 'incidents:read')
  @ApiOperation({
    summary:
      'Where the organization’s watched values appeared, newest first, each as the live `watchlist.hit` words it for the caller now',
  })
  @ApiOkResponse({ type: WatchHitPageDto })
  @ApiBadRequestResponse({ description: 'A bad `limit` or `cursor`, named in `error.details.fields`.' })
  hitList(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery): Promise<WatchHitPage> {
    return this.hits.execute(principal, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('incidents:write')
  @ApiOperation({ summary: 'Stop watching a value (its recorded hits stay)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such entry in the caller’s organization.' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.remove.execute(principal, id);
  }
}
