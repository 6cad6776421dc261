import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { canSee, notFound, sidesOf, type Principal } from '@corridor/domain';
import { CorrelationsRepository, IncidentsRepository } from '@corridor/persistence';
import { RealtimePublisher, ownerRooms } from '@corridor/realtime';
import { AuditService } from '../audit/audit.service';
import { AuthGuard, CurrentPrincipal, RequireScopes } from '../auth/auth.guard';
import { SharingService } from '../sharing/sharing.service';

@ApiTags('alerts')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1/correlations')
export class AlertsController {
  constructor(
    private readonly correlations: CorrelationsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly sharing: SharingService,
    private readonly publisher: RealtimePublisher,
    private readonly audit: AuditService,
  ) {}

  /**
   * The person on call acknowledges a correlation alert for their organization. Only a side of the
   * correlation that may see its own incident can; the first acknowledgement stands.
   */
  @Post(':id/ack')
  @HttpCode(200)
  @RequireScopes('alerts:ack')
  @ApiOperation({ summary: 'Acknowledge a correlation alert (on-call staff of a side organization)' })
  @ApiNotFoundResponse({ description: 'No such correlation, or the caller’s organization is not a side of it.' })
  async acknowledge(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    const correlation = await this.correlations.findById(id);
    const own = [correlation?.found, correlation?.earlier].find((side) => side?.orgId === principal.orgId);
    if (!correlation || !own) throw notFound('correlation');
    const [incident, sharing] = await Promise.all([this.incidents.findById(own.incidentId), this.sharing.context()]);
    if (!incident || !canSee(sharing.viewerFor(principal), incident)) throw notFound('correlation');
    const ack = await this.correlations.acknowledge(id, {
      orgId: principal.orgId,
      userId: principal.id,
      at: new Date(),
    });
    if (!ack) throw notFound('correlation');
    if (ack.userId === principal.id) {
      await this.audit.record(principal, { action: 'alert.ack', target: { type: 'correlation', id } });
      await this.publisher.publish(ownerRooms(incident), 'correlation.acknowledged', {
        id,
        by: ack.userId,
        at: ack.at.toISOString(),
      });
    }
    return {
      id,
      yourIncidentId: sidesOf(correlation, own.incidentId).own.incidentId,
      acknowledged: { by: ack.userId, at: ack.at.toISOString() },
    };
  }
}
