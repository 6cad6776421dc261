import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@corridor/domain';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { AcknowledgeAlert, type Acknowledgement } from './acknowledge-alert';

@ApiTags('alerts')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1/correlations')
export class AlertsController {
  constructor(private readonly acknowledgeAlert: AcknowledgeAlert) {}

  /** The same use case as the socket event `correlation.ack`. */
  @Post(':id/ack')
  @HttpCode(200)
  @RequireScopes('alerts:ack')
  @ApiOperation({ summary: 'Acknowledge a correlation alert (on-call staff of a side organization)' })
  @ApiNotFoundResponse({ description: 'No such correlation, or the caller’s organization is not a side of it.' })
  acknowledge(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<Acknowledgement> {
    return this.acknowledgeAlert.execute(principal, id);
  }
}
