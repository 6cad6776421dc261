import { Global, Module } from '@nestjs/common';
import { AcknowledgeAlert } from '../alerts/acknowledge-alert';
import { AuthModule } from '../auth/auth.module';
import { SharingService } from '../sharing/sharing.service';
import { AlertsGateway } from './alerts.gateway';
import { LiveConnections } from './live-connections.service';

@Global()
@Module({
  imports: [AuthModule],
  providers: [AlertsGateway, LiveConnections, SharingService, AcknowledgeAlert],
  exports: [SharingService, AcknowledgeAlert, LiveConnections],
})
export class RealtimeModule {}
