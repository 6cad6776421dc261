import { Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@corridor/domain';
import type { AlertPage } from '@corridor/realtime';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { AcknowledgeAlert, type Acknowledgement } from './acknowledge-alert';
import { AlertPageDto, FalsePositiveStateDto } from './dto/alert-response.dto';
import { MarkFalsePositive, type FalsePositiveState } from './false-positive';
import { ListAlertsQuery } from './dto/list-alerts.query';
import { ListAlerts } from './list-alerts.service';

@ApiTags('alerts')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1')
export class AlertsController {
  constructor(
    private readonly acknowledgeAlert: AcknowledgeAlert,
    private readonly listAlerts: ListAlerts,
    private readonly falsePositive: MarkFalsePositive,
  ) {}

  @Get('alerts')
  @RequireScopes('alerts:read')
  @ApiOperation({
    summary: 'The correlation alerts of the caller’s organization: unacknowledged first, then newest first',
  })
  @ApiOkResponse({ type: AlertPageDto })
  @ApiBadRequestResponse({ description: 'A bad `acknowledged`, `limit` or `cursor`, named in `error.details.fields`.' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListAlertsQuery): Promise<AlertPage> {
    return this.listAlerts.execute(principal, query);
  }

  /** The same use case as the socket event `correlation.ack`. */
  @Post('correlations/:id/ack')
  @HttpCode(200)
  @RequireScopes('alerts:ack')
  @ApiOperation({ summary: 'Acknowledge a correlation alert (on-call staff of a side organization)' })
  @ApiNotFoundResponse({ description: 'No such correlation, or the caller’s organization is not a side of it.' })
  acknowledge(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<Acknowledgement> {
    return this.acknowledgeAlert.execute(principal, id);
  }

  @Post('correlations/:id/false-positive')
  @HttpCode(200)
  @RequireScopes('incidents:write')
  @ApiOperation({
    summary:
      'Mark a correlation as a false positive for the caller’s organization: it leaves the alert list, and later alerts of the same pair of values (kind and both values) are not sent to it',
  })
  @ApiOkResponse({ type: FalsePositiveStateDto })
  @ApiNotFoundResponse({ description: 'No such correlation, or the caller’s organization is not a side it may see.' })
  markFalsePositive(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<FalsePositiveState> {
    return this.falsePositive.execute(principal, id, true);
  }

  @Delete('correlations/:id/false-positive')
  @HttpCode(200)
  @RequireScopes('incidents:write')
  @ApiOperation({ summary: 'Take back a false-positive mark of the caller’s organization' })
  @ApiOkResponse({ type: FalsePositiveStateDto })
  @ApiNotFoundResponse({ description: 'No such correlation, or the caller’s organization is not a side it may see.' })
  unmarkFalsePositive(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<FalsePositiveState> {
    return this.falsePositive.execute(principal, id, false);
  }
}
