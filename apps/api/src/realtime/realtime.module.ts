import { Global, Module } from '@nestjs/common';
import { AcknowledgeAlert } from '../alerts/acknowledge-alert';
import { CorrelationAcks } from '../alerts/correlation-acks.service';
import { RuleAlerts } from '../alerting/usecases/rule-alerts.service';
import { AuthModule } from '../auth/auth.module';
import { DisclosureModule } from '../disclosure/disclosure.module';
import { TimelineModule } from '../timeline/timeline.module';
import { AlertsGateway } from './alerts.gateway';
import { LiveConnections } from './live-connections.service';

@Global()
@Module({
  imports: [AuthModule, DisclosureModule, TimelineModule],
  providers: [AlertsGateway, LiveConnections, AcknowledgeAlert, CorrelationAcks, RuleAlerts],
  exports: [AcknowledgeAlert, LiveConnections, RuleAlerts],
})
export class RealtimeModule {}
