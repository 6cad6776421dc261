import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SharingService } from '../sharing/sharing.service';
import { AlertsGateway } from './alerts.gateway';

@Global()
@Module({
  imports: [AuthModule],
  providers: [AlertsGateway, SharingService],
  exports: [SharingService],
})
export class RealtimeModule {}
