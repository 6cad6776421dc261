import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { indicatorOfKey, type Principal } from '@corridor/domain';
import { CorrelationIndex } from '@corridor/persistence';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { HotValuesDto, HotValuesQuery } from './dto/hot-values.dto';
import { IndicatorHistoryDto, IndicatorHistoryQuery } from './dto/indicator-history.dto';
import { IndicatorHistory } from './usecases/indicator-history/indicator-history.service';

@ApiTags('indicators')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1/indicators')
export class IndicatorsController {
  constructor(
    private readonly index: CorrelationIndex,
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
   * threshold, they are indexed and counted but no longer correlate or alert. Counts only, never who.
   */
  @Get('hot')
  @RequireScopes('incidents:read')
  @ApiOperation({ summary: 'Values over the hot threshold, with the number of incidents carrying each (never which)' })
  @ApiOkResponse({ type: HotValuesDto })
  @ApiBadRequestResponse({ description: 'A bad `limit`, named in `error.details.fields`.' })
  async hot(@Query() query: HotValuesQuery): Promise<HotValuesDto> {
    const values = await this.index.hotValues(query.limit ?? 100);
    return {
      threshold: this.index.hotThreshold,
      items: values.map(({ key, incidents }) => ({ ...indicatorOfKey(key), incidents })),
    };
  }
}
