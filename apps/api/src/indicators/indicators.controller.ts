import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@corridor/domain';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { HotValuesDto, HotValuesQuery } from './dto/hot-values.dto';
import { IndicatorHistoryDto, IndicatorHistoryQuery } from './dto/indicator-history.dto';
import { HotValues } from './usecases/hot-values/hot-values.service';
import { IndicatorHistory } from './usecases/indicator-history/indicator-history.service';

@ApiTags('indicators')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1/indicators')
export class IndicatorsController {
  constructor(
    private readonly hotValues: HotValues,
    private readonly history: IndicatorHistory,
  ) {}

  /** First and last seen, incidents and organizations of one value, over what the caller may see. */
  @Get('history')
  @RequireScopes('incidents:read')
  @ApiOperation({
    summary:
      "An indicator's history: first/last seen, incidents and organizations, counted over visible incidents only",
  })
  @ApiOkResponse({ type: IndicatorHistoryDto })
  @ApiBadRequestResponse({ description: 'A missing or unrecognized `value`, named in `error.details.fields`.' })
  getHistory(
    @CurrentPrincipal() principal: Principal,
    @Query() query: IndicatorHistoryQuery,
  ): Promise<IndicatorHistoryDto> {
    return this.history.execute(principal, query.value);
  }

  /**
   * Values that over-correlate (a public resolver, a CDN): carried by more incidents than the hot
   * threshold, they are indexed and counted but no longer correlate or alert. Counts only, never who;
   * only values the caller has met in an incident it may see.
   */
  @Get('hot')
  @RequireScopes('incidents:read')
  @ApiOperation({
    summary:
      'Values over the hot threshold carried by an incident the caller may see, with the number of incidents carrying each (never which)',
  })
  @ApiOkResponse({ type: HotValuesDto })
  @ApiBadRequestResponse({ description: 'A bad `limit`, named in `error.details.fields`.' })
  hot(@CurrentPrincipal() principal: Principal, @Query() query: HotValuesQuery): Promise<HotValuesDto> {
    return this.hotValues.execute(principal, query.limit ?? 100);
  }
}
