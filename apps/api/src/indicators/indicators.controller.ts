import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { indicatorOfKey } from '@corridor/domain';
import { CorrelationIndex } from '@corridor/persistence';
import { AuthGuard, RequireScopes } from '../auth/auth.guard';
import { HotValuesDto, HotValuesQuery } from './dto/hot-values.dto';

@ApiTags('indicators')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1/indicators')
export class IndicatorsController {
  constructor(private readonly index: CorrelationIndex) {}

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
